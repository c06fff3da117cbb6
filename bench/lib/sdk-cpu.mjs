// SDK work per received message in Chromium: serves bench/sdk-cpu and the built SDK
// (client-wasm/pkg) from a local static server, loads the page in headless Chromium and
// collects what it measured (see bench/sdk-cpu/measure.js for the method).
//
// Standalone: `node bench/lib/sdk-cpu.mjs [--messages 100000] [--rounds 5]` prints the figures.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { clientDir, root } from '../../scripts/lib/paths.mjs';
import { median } from './stats.mjs';

const PAGE_DIR = join(root, 'bench', 'sdk-cpu');
const PKG_DIR = join(clientDir, 'pkg');
const CHROMIUM = '/usr/bin/chromium';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** `file` under `dir` for a URL path, or null if the path leaves it. */
function resolveUnder(dir, urlPath) {
  const file = normalize(join(dir, decodeURIComponent(urlPath)));
  return file.startsWith(dir + sep) ? file : null;
}

/**
 * Serves the page at `/` and the SDK package at `/pkg/` on 127.0.0.1 (an ephemeral port).
 * Cross-origin isolated (COOP + COEP), so performance.now() has its finest resolution.
 */
export async function servePage() {
  const server = createServer(async (req, res) => {
    try {
      const path = new URL(req.url, 'http://localhost').pathname;
      const file = path.startsWith('/pkg/')
        ? resolveUnder(PKG_DIR, path.slice('/pkg/'.length))
        : resolveUnder(PAGE_DIR, path === '/' ? 'index.html' : path.slice(1));
      if (!file) throw new Error('outside the served folders');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Headless Chromium (Playwright gives it a fresh profile) with offline flags and `gc()`. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-default-apps', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
      '--js-flags=--expose-gc',
    ],
  });
}

/** Opens the page, fails on a page error, and waits for the SDK to be initialised. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(msg.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => window.sdkCpuReady !== undefined, null, { timeout: 10_000 });
  await page.evaluate(() => window.sdkCpuReady);
  return { page, errors };
}

/**
 * Median ns per received message, the SDK against JSON.parse + a Map lookup + a call in plain
 * JavaScript, for each payload size. `messages` per round and side, after `warmup` messages.
 */
export async function measureSdkCpu({ messages = 100_000, warmup = 10_000, rounds = 5, sizes = [100, 4096] } = {}) {
  if (!existsSync(join(PKG_DIR, 'broadcast_client_bg.wasm'))) {
    throw new Error(`no SDK build in ${PKG_DIR}: run \`node scripts/build.mjs client\` first`);
  }
  const server = await servePage();
  const browser = await launchChromium().catch(async (err) => {
    await server.close();
    throw err;
  });
  try {
    const { page, errors } = await openPage(browser, server.url);
    const measured = await page.evaluate(
      (plan) => window.runSdkCpu(plan),
      { sizes, messages, warmup, rounds, batch: Math.min(messages, 10_000) },
    );
    if (errors.length) throw new Error(`the page logged: ${errors.join('; ')}`);
    return {
      chromium: browser.version(),
      messages,
      warmup,
      rounds,
      crossOriginIsolated: measured.crossOriginIsolated,
      results: measured.results.map(({ size, frameBytes, samples }) => {
        const ours = median(samples.ours);
        const plain = median(samples.plain);
        return { size, frameBytes, ours, plain, ratio: ours / plain, samples };
      }),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const flag = (name, fallback) => {
    const at = process.argv.indexOf(`--${name}`);
    return at === -1 ? fallback : Number(process.argv[at + 1]);
  };
  const result = await measureSdkCpu({ messages: flag('messages', 100_000), rounds: flag('rounds', 5) });
  console.log(`Chromium ${result.chromium}, ${result.messages} messages x ${result.rounds} rounds, cross-origin isolated: ${result.crossOriginIsolated}`);
  for (const row of result.results) {
    const rounds = (list) => list.map((ns) => ns.toFixed(0)).join(' ');
    console.log(`${row.size} B payload (${row.frameBytes} B frame): ours ${row.ours.toFixed(0)} ns, JSON.parse + callback ${row.plain.toFixed(0)} ns, ${row.ratio.toFixed(2)}x`);
    console.log(`  rounds: ours [${rounds(row.samples.ours)}], plain [${rounds(row.samples.plain)}]`);
  }
}
