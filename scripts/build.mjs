// Builds the Worker (worker-build) and the browser SDK (wasm-pack), offline.
//
//   node scripts/build.mjs          both, release
//   node scripts/build.mjs worker   the Worker only (wrangler's [build] command)
//   node scripts/build.mjs client   the SDK package only
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { run } from './lib/process.mjs';
import { clientDir, wwwDir, workerDir, toolEnv } from './lib/paths.mjs';

/** Set by a caller that has just built, so wrangler's own [build] step does not build again. */
export const BUILD_FRESH_VAR = 'BROADCAST_BUILD_FRESH';

/** Builds the Worker into worker/build with worker-build, in release mode. */
export async function buildWorker() {
  await run('worker-build', ['--release'], { cwd: workerDir, env: toolEnv() });
}

/** Builds the SDK into client-wasm/pkg and copies it to www/pkg for the demo page. */
export async function buildClient() {
  await run('wasm-pack', ['build', '--release', '--target', 'web'], {
    cwd: clientDir,
    env: toolEnv(),
  });
  const served = join(wwwDir, 'pkg');
  rmSync(served, { recursive: true, force: true });
  cpSync(join(clientDir, 'pkg'), served, { recursive: true });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const what = process.argv[2] ?? 'all';
  if (what === 'worker' && process.env[BUILD_FRESH_VAR] === '1') {
    console.log('[build] worker is fresh, skipping');
  } else {
    if (what === 'all' || what === 'worker') await buildWorker();
    if (what === 'all' || what === 'client') await buildClient();
  }
}
