// Starts the real Worker on workerd (through `wrangler dev --local`) on free loopback ports, for
// tests and benchmarks. The Worker must already be built (scripts/build.mjs).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { nodeBin, toolEnv, workerDir } from '../../scripts/lib/paths.mjs';
import { mintToken } from './tokens.mjs';

const READY_TIMEOUT_MS = 90_000;

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the Worker with fresh random secrets. Resolves once it answers HTTP.
 * `presenceTimeoutMs` shortens the ghost sweep's timeout (default: the Worker's 60 s);
 * `devEndpoints: false` leaves the development endpoints (`POST /dev/token`) switched off;
 * `vars` adds or overrides variables.
 * @returns {Promise<WorkerServer>}
 */
export async function startWorker({ presenceTimeoutMs, directory = workerDir, devEndpoints = true, vars: extraVars = {} } = {}) {
  const vars = {
    BROADCAST_SECRET: randomBytes(16).toString('hex'),
    BROADCAST_JWT_SECRET: randomBytes(32).toString('hex'),
    ...extraVars,
  };
  // Set either way: wrangler also reads worker/.dev.vars, which `npm start` fills with '1'.
  vars.BROADCAST_DEV_ENDPOINTS = devEndpoints ? '1' : '0';
  if (presenceTimeoutMs) vars.BROADCAST_PRESENCE_TIMEOUT_MS = String(presenceTimeoutMs);
  const server = new WorkerServer(vars, await freePort(), directory);
  await server.start();
  return server;
}

export class WorkerServer {
  #child = null;
  #exited = null;
  #output = [];
  #stateDir = mkdtempSync(join(tmpdir(), 'broadcast-worker-'));

  constructor(vars, port, directory = workerDir) {
    this.directory = directory;
    this.vars = vars;
    this.secret = vars.BROADCAST_SECRET;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** The WebSocket URL of a channel, with `?token=` when given one. */
  channelUrl(channel, token) {
    const query = token ? `?token=${encodeURIComponent(token)}` : '';
    return `ws://127.0.0.1:${this.port}/ws/channel/${channel}${query}`;
  }

  /** A token for `claims` (`sub`, `channels`, `user_info`, ...) signed with this Worker's secret. */
  token(claims, options) {
    return mintToken(this.vars.BROADCAST_JWT_SECRET, claims, options);
  }

  /** A channel URL with a fresh token for user `sub` (every other claim optional). */
  userUrl(channel, claims) {
    return this.channelUrl(channel, this.token(claims));
  }

  /** The pid of wrangler, whose child workerd runs the Worker. */
  get pid() {
    return this.#child?.pid;
  }

  /** Everything the server printed so far. */
  output() {
    return this.#output.join('');
  }

  /** POSTs a broadcast with the right secret (or `secret`), returning status and JSON body. */
  async broadcast(body, { secret = this.secret } = {}) {
    const headers = { 'content-type': 'application/json' };
    if (secret !== null) headers.authorization = `Bearer ${secret}`;
    const response = await fetch(`${this.url}/broadcast`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async start() {
    const inspectorPort = await freePort();
    const args = [
      'dev', '--local', '--ip', '127.0.0.1', '--port', String(this.port),
      '--inspector-port', String(inspectorPort), '--show-interactive-dev-session=false',
      ...Object.entries(this.vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      '--persist-to', this.#stateDir,
    ];
    const child = spawn(join(nodeBin, 'wrangler'), args, {
      cwd: this.directory,
      env: toolEnv({ BROADCAST_BUILD_FRESH: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', resolve));
    const record = (chunk) => this.#output.push(chunk.toString());
    child.stdout.on('data', record);
    child.stderr.on('data', record);
    await this.#waitUntilReady(child);
  }

  /** Resolves once the server's output matches `pattern` (logs arrive a little after the fact). */
  waitForOutput(pattern, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.output().match(pattern);
        if (!match) return false;
        clearTimeout(timer);
        this.#child?.stdout.off('data', check);
        this.#child?.stderr.off('data', check);
        resolve(match);
        return true;
      };
      const timer = setTimeout(() => {
        this.#child?.stdout.off('data', check);
        this.#child?.stderr.off('data', check);
        reject(new Error(`the server never printed ${pattern}:\n${this.output()}`));
      }, timeoutMs);
      if (check()) return;
      this.#child?.stdout.on('data', check);
      this.#child?.stderr.on('data', check);
    });
  }

  /** Resolves when wrangler prints that it listens, rejects if it exits or takes too long. */
  async #waitUntilReady(child) {
    try {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
        const onData = (chunk) => {
          if (!/Ready on http/.test(chunk.toString())) return;
          clearTimeout(timer);
          resolve();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`wrangler exited with ${code}`));
        });
      });
    } catch (err) {
      await this.stop();
      throw new Error(`the Worker did not start: ${err.message}\n${this.output()}`);
    }
  }

  /** Kills wrangler and workerd at once, as a crash or a deploy would. */
  async stop() {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await this.#exited;
    this.#child = null;
  }

  /** Kills the server and starts it again on the same port. */
  async restart() {
    await this.stop();
    await this.start();
  }

  /** Stops the server and removes its state directory. */
  async dispose() {
    await this.stop();
    rmSync(this.#stateDir, { recursive: true, force: true });
  }
}
