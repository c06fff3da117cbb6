// The servers `npm run bench` compares, each started the same way and exposing the same face:
// `name`, `hibernates`, `url`, `channelUrl(channel)`, `broadcastTarget` (`{ url, headers }` of
// POST /broadcast, for the load client's process), `broadcast(body)`, `pids` (the processes doing
// the work), `dispose()` and, where there is one, `output()` (what the runtime printed).
// The three Durable Object servers run on the bare workerd binary (bench/lib/workerd.mjs), not
// under `wrangler dev`, whose dev proxy would carry every connection and cost several times the
// Worker's own CPU.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { build } from 'esbuild';

import { root, workerDir } from '../../scripts/lib/paths.mjs';
import { freePort } from '../../tests/support/worker-server.mjs';
import { mintToken } from '../../tests/support/tokens.mjs';
import { compatibility, startWorkerd } from './workerd.mjs';

/**
 * Our Worker and ChannelDO as built in worker/build (`npm run bench` builds the release first),
 * or in the directory `BENCH_WORKER_BUILD` names (a copy of an earlier build, for an A/B run).
 * The Queue and KV bindings of worker/wrangler.toml are left out: only the demo app's /api routes
 * and the queue consumer use them, and the bench calls neither.
 */
export async function channelDo() {
  const built = process.env.BENCH_WORKER_BUILD ?? join(workerDir, 'build');
  const vars = {
    BROADCAST_SECRET: randomBytes(16).toString('hex'),
    BROADCAST_JWT_SECRET: randomBytes(32).toString('hex'),
  };
  const server = await startWorkerd({
    modules: [
      { name: 'worker/shim.mjs', type: 'esModule', path: join(built, 'worker', 'shim.mjs') },
      { name: 'index.js', type: 'esModule', path: join(built, 'index.js') },
      { name: 'index_bg.wasm', type: 'wasm', path: join(built, 'index_bg.wasm') },
    ],
    vars,
    durableObjects: [{ binding: 'CHANNEL', className: 'ChannelDO' }],
    ...runtimeOf(workerDir),
  });
  const channelUrl = (channel, query = '') => `ws://127.0.0.1:${server.port}/ws/channel/${channel}${query}`;
  return workerd('ChannelDO (Rust)', server, {
    // Private channels (where whispers are allowed) need a token.
    channelUrl: (channel) =>
      channel.startsWith('private-')
        ? channelUrl(channel, `?token=${mintToken(vars.BROADCAST_JWT_SECRET, { sub: 'bench' })}`)
        : channelUrl(channel),
    secret: vars.BROADCAST_SECRET,
  });
}

/** The minimal JavaScript Durable Object in bench/js-do, on the same workerd. */
export async function floorDo() {
  const server = await startJsWorker('js-do', { binding: 'FLOOR', className: 'FloorDO' });
  return workerd('JS DO (floor)', server, {
    channelUrl: (channel) => `ws://127.0.0.1:${server.port}/ws/channel/${channel}`,
  });
}

/**
 * The same JavaScript Durable Object storing every broadcast in SQLite (one INSERT, no
 * pruning), as ours does for recovery: a floor for the per-request cost of the same job.
 */
export async function floorDoWithHistory() {
  const server = await startJsWorker('js-do', { binding: 'FLOOR', className: 'FloorDO' }, { FLOOR_HISTORY: '1' });
  return workerd('JS DO + history', server, {
    channelUrl: (channel) => `ws://127.0.0.1:${server.port}/ws/channel/${channel}`,
  });
}

/** PartyKit's partyserver (bench/partyserver), on the same workerd. */
export async function partyServer() {
  const server = await startJsWorker('partyserver', { binding: 'Room', className: 'Room' });
  return workerd('partyserver', server, {
    channelUrl: (channel) => `ws://127.0.0.1:${server.port}/parties/room/${channel}`,
  });
}

/**
 * The JavaScript Worker in bench/<name> (its worker.js, bundled) with one Durable Object class
 * and the text variables `vars`.
 */
async function startJsWorker(name, durableObject, vars = {}) {
  const directory = join(root, 'bench', name);
  return startWorkerd({
    modules: [{ name: 'worker.js', type: 'esModule', contents: await bundle(join(directory, 'worker.js')) }],
    vars,
    durableObjects: [durableObject],
    ...runtimeOf(directory),
  });
}

function runtimeOf(directory) {
  const { date, flags } = compatibility(directory);
  return { compatibilityDate: date, compatibilityFlags: flags };
}

/** `entry` and its npm imports in one ES module, resolved the way wrangler's bundler does. */
async function bundle(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** The face of a server on workerd: one process, the Worker's, does all the work. */
function workerd(name, server, { channelUrl, secret }) {
  const headers = { 'content-type': 'application/json' };
  if (secret) headers.authorization = `Bearer ${secret}`;
  const broadcastTarget = { url: `${server.url}/broadcast`, headers };
  return {
    name,
    hibernates: true,
    url: server.url,
    channelUrl,
    broadcastTarget,
    broadcast: (body) => post(broadcastTarget, body),
    pids: [server.pid],
    output: () => server.output(),
    dispose: () => server.dispose(),
  };
}

/** A bare Node `ws` server (bench/ws-server.mjs) in its own process. */
export async function bareWs() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'bench', 'ws-server.mjs'), String(port)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => /Ready on/.test(chunk.toString()) && resolve());
    child.once('exit', (code) => reject(new Error(`ws-server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const broadcastTarget = { url: `${url}/broadcast`, headers: {} };
  return {
    name: 'bare ws (Node)',
    hibernates: false,
    url,
    channelUrl: (channel) => `ws://127.0.0.1:${port}/ws/channel/${channel}`,
    broadcastTarget,
    broadcast: (body) => post(broadcastTarget, body),
    pids: [child.pid],
    dispose: async () => {
      child.kill('SIGKILL');
    },
  };
}

/** POST /broadcast from this process (the load client posts from its own). */
async function post({ url, headers }, body) {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}
