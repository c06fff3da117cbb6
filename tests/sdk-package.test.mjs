// The browser SDK as an npm package: its size budget, its TypeScript declarations, its
// manifest. Runs on the package `npm test` built into client-wasm/pkg.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { measureBundle, packageDir } from '../scripts/lib/bundle-size.mjs';
import { nodeBin, root } from '../scripts/lib/paths.mjs';

/** The budget: .wasm plus JS glue, minified and gzip -9. */
const BUDGET_BYTES = 30_000;

test('the package costs a page at most 30 KB (minified, gzip -9)', async () => {
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
  for (const file of [manifest.main, manifest.types, ...manifest.files]) {
    assert.ok(existsSync(join(packageDir, file)), `${file} is listed but missing`);
  }
  assert.ok(manifest.files.includes('broadcast_client_bg.wasm'));
});
