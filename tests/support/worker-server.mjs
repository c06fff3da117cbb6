// Starts the real Worker on workerd (through `wrangler dev --local`) on free loopback ports, for
// tests and benchmarks. The Worker must already be built (scripts/build.mjs).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { nodeBin, toolEnv, workerDir } from '../../scripts/lib/paths.mjs';

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
 * Starts the Worker. Resolves once it answers HTTP.
 * @returns {Promise<WorkerServer>}
 */
export async function startWorker({ secret = randomBytes(16).toString('hex') } = {}) {
  const server = new WorkerServer(secret, await freePort());
  await server.start();
  return server;
}

export class WorkerServer {
  #child = null;
  #exited = null;
  #output = [];
  #stateDir = mkdtempSync(join(tmpdir(), 'broadcast-worker-'));

  constructor(secret, port) {
    this.secret = secret;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** The WebSocket URL of a channel. */
  channelUrl(channel) {
    return `ws://127.0.0.1:${this.port}/ws/channel/${channel}`;
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
      '--var', `BROADCAST_SECRET:${this.secret}`, '--persist-to', this.#stateDir,
    ];
    const child = spawn(join(nodeBin, 'wrangler'), args, {
      cwd: workerDir,
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
