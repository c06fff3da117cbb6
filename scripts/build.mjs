// Builds the Worker (worker-build) and the browser SDK (wasm-pack), offline.
//
//   node scripts/build.mjs [all|worker|client] [--dev]
//
// `worker` alone is wrangler's [build] command, so `wrangler deploy` gets a production Worker;
// `--dev` adds the development endpoints (npm start and npm test build that way).
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { finalizeClientPackage } from './lib/client-package.mjs';
import { run } from './lib/process.mjs';
import { shortenGlueNames } from './lib/short-glue-names.mjs';
import { clientDir, wwwDir, workerDir, toolEnv } from './lib/paths.mjs';

/** Set by a caller that has just built, so wrangler's own [build] step does not build again. */
export const BUILD_FRESH_VAR = 'BROADCAST_BUILD_FRESH';

/**
 * Builds the Worker with worker-build, in release mode, into `outDir` (relative to worker/;
 * wrangler.toml's `main` points into `build`). `dev` compiles in the development endpoints
 * (the demo's `POST /dev/token`); production builds leave them out.
 */
export async function buildWorker({ dev = false, outDir = 'build' } = {}) {
  const features = dev ? ['--features', 'dev-endpoints'] : [];
  await run('worker-build', ['--release', '--out-dir', outDir, ...features], { cwd: workerDir, env: toolEnv() });
}

/**
 * Builds the SDK into client-wasm/pkg, shortens the names its .wasm and glue share, turns that
 * into the publishable npm package (manifest, README), and copies it to www/pkg for the demo page.
 */
export async function buildClient() {
  await run('wasm-pack', ['build', '--release', '--target', 'web'], {
    cwd: clientDir,
    env: toolEnv(),
  });
  shortenGlueNames(join(clientDir, 'pkg'));
  finalizeClientPackage(join(clientDir, 'pkg'));
  const served = join(wwwDir, 'pkg');
  rmSync(served, { recursive: true, force: true });
  cpSync(join(clientDir, 'pkg'), served, { recursive: true });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const dev = args.includes('--dev');
  const what = args.find((arg) => !arg.startsWith('--')) ?? 'all';
  if (what === 'worker' && process.env[BUILD_FRESH_VAR] === '1') {
    console.log('[build] worker is fresh, skipping');
  } else {
    if (what === 'all' || what === 'worker') await buildWorker({ dev });
    if (what === 'all' || what === 'client') await buildClient();
  }
}
