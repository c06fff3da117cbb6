// Packs the built SDK (client-wasm/pkg) into the tarball `npm publish` would upload, so it can be
// installed and tried before it is published.
//
//   node scripts/pack-client.mjs    writes build/broadcast-client-<version>.tgz
import { execFile } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { clientDir, root } from './lib/paths.mjs';

/** Where `npm run build:client` leaves the tarball (gitignored). */
export const defaultPackDestination = join(root, 'build');

/**
 * Runs `npm pack` in client-wasm/pkg (built beforehand) and returns the tarball's path in
 * `destination`. `--ignore-scripts`: the package has none, and packing must not run the root's.
 */
export async function packClient(destination = defaultPackDestination) {
  const target = resolve(destination);
  mkdirSync(target, { recursive: true });
  const { stdout } = await promisify(execFile)(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', target],
    { cwd: join(clientDir, 'pkg'), maxBuffer: 16 * 1024 * 1024 },
  );
  const [packed] = JSON.parse(stdout);
  return join(target, packed.filename);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tarball = await packClient();
  const kib = (statSync(tarball).size / 1024).toFixed(1);
  console.log(`[pack] ${tarball} (${kib} KiB)`);
}
