// A small HTTP server the browser tests call to act on the real Worker: broadcast with the
// secret and mint channel tokens (secrets never reach the page), and restart the Worker. It also hosts the scripted
// fake channel at ws://.../fake and reports what it saw at POST /fake/attempts. Allows any
// origin, since the wasm-bindgen test page is served from another port.
import { createServer } from 'node:http';

import { FakeChannelServer } from './fake-channel-server.mjs';

/**
 * Broadcasts `{ n }` with n = 0, 1, 2, ... to one channel, one request at a time, and records
 * which numbers the Worker accepted (2xx) and which failed (an error status or no answer, as
 * while it restarts).
 */
class Publisher {
  #running = null;

  constructor(worker) {
    this.worker = worker;
  }

  start(channel, intervalMs) {
    const record = { accepted: [], failed: [] };
    let stopped = false;
    const loop = async () => {
      for (let n = 0; !stopped; n += 1) {
        try {
          const result = await this.worker.broadcast({ channels: [channel], event: 'n', data: { n } });
          (result.status === 200 ? record.accepted : record.failed).push(n);
        } catch {
          record.failed.push(n);
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    };
    this.#running = { done: loop(), stop: () => (stopped = true), record };
  }

  async stop() {
    const running = this.#running;
    this.#running = null;
    if (!running) return { accepted: [], failed: [] };
    running.stop();
    await running.done;
    return running.record;
  }
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

/** Serves `/broadcast`, `/token`, `/restart` and `/publish/*` for `worker` (a WorkerServer) on a free loopback port. */
export async function startControlServer(worker) {
  const fake = new FakeChannelServer();
  const publisher = new Publisher(worker);
  const server = createServer(async (request, response) => {
    const reply = (status, body) => {
      response.writeHead(status, { ...CORS, 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'OPTIONS') return reply(204, {});
    try {
      let body = '';
      for await (const chunk of request) body += chunk;
      if (request.url === '/broadcast') {
        const result = await worker.broadcast(body);
        return reply(result.status, result.body);
      }
      if (request.url === '/token') {
        return reply(200, { token: worker.token(JSON.parse(body)) });
      }
      if (request.url === '/publish/start') {
        const { channel, intervalMs } = JSON.parse(body);
        publisher.start(channel, intervalMs);
        return reply(200, { started: true });
      }
      if (request.url === '/publish/stop') {
        return reply(200, await publisher.stop());
      }
      if (request.url === '/fake/attempts') {
        return reply(200, fake.attempts(body));
      }
      if (request.url === '/restart') {
        await worker.restart();
        return reply(200, { restarted: true });
      }
      return reply(404, { error: 'not_found' });
    } catch (err) {
      return reply(500, { error: String(err) });
    }
  });
  fake.attach(server, '/fake');
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      fake.close();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
