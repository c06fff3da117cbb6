// The SDK as its users get it: packed into the tarball `npm publish` would upload, installed
// into a fresh Vite application (tests/vite-consumer), built with Vite, served as static files
// and opened in headless Chromium, where it must connect to the real Worker and show a
// broadcast. Proves the manifest's `exports` and `files`, and that Vite finds and emits the
// .wasm through the glue's `new URL(..., import.meta.url)`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { nodeBin, root } from '../scripts/lib/paths.mjs';
import { packClient } from '../scripts/pack-client.mjs';
import { launchChromium } from './support/chromium.mjs';
import { startWorker } from './support/worker-server.mjs';

const TEMPLATE = join(root, 'tests', 'vite-consumer');
const PACKAGE = 'broadcast-client';
const WASM = 'broadcast_client_bg.wasm';
const PAGE_TIMEOUT_MS = 15_000;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Runs a command to completion; the error carries its output, which is what explains a failure. */
async function exec(command, args, options) {
  try {
    return await promisify(execFile)(command, args, { maxBuffer: 16 * 1024 * 1024, ...options });
  } catch (err) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${err.stdout}${err.stderr}`);
  }
}

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Serves `dir` on a free loopback port, as any static host would. */
function serveStatic(dir) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const close = () => {
        server.closeAllConnections();
        server.close();
      };
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close });
    });
  });
}

/**
 * Installs the tarball into the copied application: offline (a tarball without dependencies
 * needs nothing from the registry), without lockfiles, and with `--prefix` so that an
 * `npm_config_local_prefix` inherited from `npm test` cannot point npm at the repository.
 */
function installTarball(app, tarball) {
  const flags = ['--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'];
  return exec('npm', ['install', ...flags, '--no-update-notifier', '--prefix', app, tarball], {
    cwd: app,
  });
}

let work;
let app;
let worker;
let site;
let browser;
const rootLockBefore = sha256(join(root, 'package-lock.json'));

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'broadcast-consumer-'));
  app = join(work, 'app');
  const prepareApp = async () => {
    const tarball = await packClient(join(work, 'pack'));
    cpSync(TEMPLATE, app, { recursive: true });
    await installTarball(app, tarball);
    // The repository's Vite, on the temporary project: `broadcast-client` can only resolve from
    // the project's own node_modules, as in a real application.
    await exec(join(nodeBin, 'vite'), ['build', '--logLevel', 'warn', app], { cwd: app });
    site = await serveStatic(join(app, 'dist'));
  };
  // The Worker takes seconds to start; the packing and building happen meanwhile. Both settle
  // before a failure is thrown, so that `after` always sees the Worker it has to stop.
  const steps = await Promise.allSettled([
    startWorker().then((started) => {
      worker = started;
    }),
    prepareApp(),
  ]);
  const failed = steps.find((step) => step.status === 'rejected');
  if (failed) throw failed.reason;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  site?.close();
  await worker?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball installs offline into the application, leaving the root lockfile alone', () => {
  const installed = join(app, 'node_modules', PACKAGE);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(manifest.name, PACKAGE);
  const shipped = readdirSync(installed).sort();
  assert.deepEqual(shipped, [
    'LICENSE',
    'README.md',
    'broadcast_client.d.ts',
    'broadcast_client.js',
    WASM,
    'package.json',
    'snippets',
  ]);
  assert.equal(sha256(join(root, 'package-lock.json')), rootLockBefore);
});

test('Vite emits the package\'s .wasm as an asset of the build', () => {
  const assets = readdirSync(join(app, 'dist', 'assets'));
  const wasm = assets.filter((name) => name.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `expected one .wasm among ${assets.join(', ')}`);
  assert.equal(
    sha256(join(app, 'dist', 'assets', wasm[0])),
    sha256(join(app, 'node_modules', PACKAGE, WASM)),
    'the emitted .wasm differs from the installed one',
  );
});

test('the built page connects to the Worker and shows a broadcast', async () => {
  const problems = [];
  const wasmResponses = [];
  const page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (response) => {
    if (response.url().endsWith('.wasm')) wasmResponses.push(response);
  });
  const fail = (what) => (err) => {
    throw new Error(`${what}: ${err.message}\n${problems.join('\n')}`);
  };

  const channel = `consumer-${randomBytes(6).toString('hex')}`;
  const query = new URLSearchParams({ ws: worker.channelUrl(channel) });
  await page.goto(`${site.url}/?${query}`);
  await page
    .waitForSelector('body[data-state="open"]', { timeout: PAGE_TIMEOUT_MS })
    .catch(fail('the client never opened'));

  const data = { text: 'hello from the tarball', n: 42, nested: { ok: true } };
  const sent = await worker.broadcast({ channels: [channel], event: 'hello', data });
  assert.deepEqual(sent, { status: 200, body: { delivered: { [channel]: 1 } } });
  await page
    .waitForSelector('#received[data-received]', { timeout: PAGE_TIMEOUT_MS })
    .catch(fail('the broadcast never arrived'));
  assert.deepEqual(JSON.parse(await page.textContent('#received')), data);

  assert.equal(wasmResponses.length, 1);
  assert.match(new URL(wasmResponses[0].url()).pathname, /^\/assets\/.+\.wasm$/);
  assert.equal(wasmResponses[0].headers()['content-type'], 'application/wasm');
  await page.close();
  assert.deepEqual(problems, []);
});
