// Where things are, and the environment that keeps every tool offline.
import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const workerDir = join(root, 'worker');
export const clientDir = join(root, 'client-wasm');
export const wwwDir = join(root, 'www');
export const nodeBin = join(root, 'node_modules', '.bin');
export const cargoBin = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin');

/** Environment for builds and servers: local tools first on PATH, no downloads, no telemetry. */
export function toolEnv(extra = {}) {
  return {
    ...process.env,
    PATH: [nodeBin, cargoBin, process.env.PATH].join(':'),
    // worker-build would download these three otherwise.
    WASM_BINDGEN_BIN: join(cargoBin, 'wasm-bindgen'),
    WASM_OPT_BIN: join(root, 'node_modules', 'binaryen', 'bin', 'wasm-opt'),
    ESBUILD_BIN: join(root, 'node_modules', '@esbuild', 'linux-x64', 'bin', 'esbuild'),
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_HIDE_BANNER: 'true',
    ...extra,
  };
}
