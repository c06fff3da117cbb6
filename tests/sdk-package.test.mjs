// The browser SDK as an npm package: its size budget, its TypeScript declarations, its
// manifest. Runs on the package `npm test` built into client-wasm/pkg (finalized by
// scripts/lib/client-package.mjs); tests/package-consumer.test.mjs installs it from a tarball.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { measureBundle, packageDir } from '../scripts/lib/bundle-size.mjs';
import { clientDir, nodeBin, root } from '../scripts/lib/paths.mjs';

/**
 * .wasm plus JS glue, minified and gzip -9. The SDK's first budget was 30 KB; it is held just
 * above today's size (21.1 KB) so that growth is a decision, not a drift, on the way to 20 KB.
 */
const BUDGET_BYTES = 22_000;

test('the package costs a page at most 22 KB (minified, gzip -9)', async () => {
  const size = await measureBundle();
  console.log(
    `SDK size: ${size.total} bytes (JS ${size.js} + wasm ${size.wasm}, gzip -9; wasm raw ${size.wasmRaw})`,
  );
  assert.ok(size.total <= BUDGET_BYTES, `${size.total} bytes is over the ${BUDGET_BYTES}-byte budget`);
});

test('a TypeScript application compiles against the declarations (tsc --noEmit)', async () => {
  const tsc = join(nodeBin, 'tsc');
  const project = join(root, 'tests', 'typescript');
  try {
    await promisify(execFile)(tsc, ['--noEmit', '-p', project], { cwd: root });
  } catch (err) {
    assert.fail(`tsc failed:\n${err.stdout}${err.stderr}`);
  }
});

test('the manifest names the module, the types and every file they load', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'broadcast-client');
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.license, 'MIT');
  assert.equal(manifest.main, 'broadcast_client.js');
  assert.equal(manifest.module, manifest.main);
  assert.equal(manifest.types, 'broadcast_client.d.ts');
  const targets = Object.values(manifest.exports).flatMap((target) =>
    typeof target === 'string' ? [target] : Object.values(target),
  );
  const listed = [manifest.main, manifest.module, manifest.types, ...manifest.files, ...targets];
  for (const file of listed) {
    assert.ok(existsSync(join(packageDir, file)), `${file} is listed but missing`);
  }
  const shipped = ['broadcast_client.js', 'broadcast_client.d.ts', 'broadcast_client_bg.wasm'];
  for (const file of [...shipped, 'README.md', 'LICENSE']) {
    assert.ok(manifest.files.includes(file), `files lacks ${file}`);
  }
  assert.equal(
    readFileSync(join(packageDir, 'README.md'), 'utf8'),
    readFileSync(join(clientDir, 'README.md'), 'utf8'),
    'the package README is not client-wasm/README.md',
  );
});

test('the exports map resolves types first, and only snippets are marked as side effects', () => {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const main = manifest.exports['.'];
  // TypeScript takes the first condition that matches: `types` after `import` would be ignored.
  assert.deepEqual(Object.keys(main), ['types', 'import', 'default']);
  assert.deepEqual(main, {
    types: './broadcast_client.d.ts',
    import: './broadcast_client.js',
    default: './broadcast_client.js',
  });
  assert.equal(manifest.exports['./broadcast_client_bg.wasm'], './broadcast_client_bg.wasm');
  assert.equal(manifest.exports['./package.json'], './package.json');
  // The glue and the wasm must stay free to tree-shake; wasm-pack's snippet entry may remain.
  const { sideEffects } = manifest;
  assert.ok(
    sideEffects === false ||
      (Array.isArray(sideEffects) && sideEffects.every((glob) => glob.startsWith('./snippets/'))),
    `sideEffects should be false or name only snippets, not ${JSON.stringify(sideEffects)}`,
  );
});
