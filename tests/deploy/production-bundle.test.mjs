// `npm run deploy -- --dry-run`: the production Worker builds and wrangler bundles it with every
// binding of wrangler.toml, offline, and the bundle holds no development endpoint. Run by
// `npm test` after the other suites (scripts/test.mjs), because it builds the Worker without
// the development features (into worker/build-production, leaving worker/build alone).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { workerDir } from '../../scripts/lib/paths.mjs';
import { deploy } from '../../scripts/deploy.mjs';

/** Strings only the development endpoints put into the Worker (see worker/src/dev_token.rs). */
const DEV_MARKERS = ['BROADCAST_DEV_ENDPOINTS', 'printable characters'];

const outDir = mkdtempSync(join(tmpdir(), 'broadcast-deploy-'));
let output = '';

before(async () => {
  output = await deploy({
    buildDir: 'build-production',
    wranglerArgs: ['--dry-run', '--outdir', join(outDir, 'bundle')],
  });
});
after(() => rmSync(outDir, { recursive: true, force: true }));

/** The bundle's files and their bytes. */
function bundle() {
  const dir = join(outDir, 'bundle');
  return readdirSync(dir).map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

test('the dry run bundles the Worker with its Durable Object, Queue and KV bindings', () => {
  assert.match(output, /--dry-run: exiting now/);
  assert.match(output, /env\.CHANNEL \(ChannelDO\)\s+Durable Object/);
  assert.match(output, /env\.LISTENER_QUEUE \(broadcast-listeners\)\s+Queue/);
  assert.match(output, /env\.STATS .*KV Namespace/);
  const names = bundle().map((file) => file.name);
  assert.ok(names.some((name) => name.endsWith('.wasm')), `no .wasm in ${names}`);
  assert.ok(names.includes('shim.js'), `no shim.js in ${names}`);
});

test('the production bundle holds no development endpoint, and the development build does', () => {
  for (const { name, bytes } of bundle()) {
    for (const marker of DEV_MARKERS) assert.equal(bytes.includes(marker), false, `${name} contains ${marker}`);
  }
  // The check can fail: the build that `npm start` and the tests use has the endpoint.
  const devBuild = readFileSync(join(workerDir, 'build', 'index_bg.wasm'));
  for (const marker of DEV_MARKERS) assert.ok(devBuild.includes(marker), `the development build lacks ${marker}`);
});

test('no development secret or variable is deployed with it', () => {
  assert.doesNotMatch(output, /dev-broadcast-secret|dev-jwt-secret|BROADCAST_DEV_ENDPOINTS/);
  for (const { name, bytes } of bundle()) {
    assert.equal(bytes.includes('dev-jwt-secret'), false, name);
  }
});
