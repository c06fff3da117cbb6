// `npm run deploy`: builds the production Worker (no development endpoints) and the SDK for the
// demo's static assets, then runs `wrangler deploy`. Arguments after `--` go to wrangler:
//
//   npm run deploy                                   deploy (needs `wrangler login` or CLOUDFLARE_API_TOKEN)
//   npm run deploy -- --dry-run --outdir /tmp/out    build and bundle only, upload nothing
//
// Before the first deploy, see docs/deploy.md: the secrets, the Queues and the KV namespace.
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

import { BUILD_FRESH_VAR, buildClient, buildWorker } from './build.mjs';
import { runCollecting } from './lib/process.mjs';
import { nodeBin, toolEnv, workerDir } from './lib/paths.mjs';

/** Where `npm run deploy` builds the production Worker: the place wrangler.toml's `main` names. */
const DEFAULT_BUILD_DIR = 'build';

/**
 * Builds the production Worker into `buildDir` (relative to worker/) and the SDK, then runs
 * `wrangler deploy` on it with `wranglerArgs`. Resolves with wrangler's output.
 */
export async function deploy({ wranglerArgs = [], buildDir = DEFAULT_BUILD_DIR } = {}) {
  await buildWorker({ dev: false, outDir: buildDir });
  await buildClient();
  const entry = relative(workerDir, join(workerDir, buildDir, 'worker', 'shim.mjs'));
  return runCollecting(join(nodeBin, 'wrangler'), ['deploy', entry, ...wranglerArgs], {
    cwd: workerDir,
    // Built just now: wrangler's own [build] step would build again.
    env: toolEnv({ [BUILD_FRESH_VAR]: '1' }),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await deploy({ wranglerArgs: process.argv.slice(2) });
}
