// The load client: many sockets in this process, and rounds of broadcasts timed from the
// request to the first and the last delivery.
import WebSocket from 'ws';

/**
 * No permessage-deflate: `ws` offers it by default and workerd accepts, so each server would
 * compress every message once per socket while the bare `ws` server (off by default) does not.
 * Measured with compression, the workerd servers cost some 10-15 us more per delivery.
 */
const SOCKET_OPTIONS = { perMessageDeflate: false };

/** How long one socket may take to be welcomed before the whole connect counts as failed. */
const CONNECT_TIMEOUT_MS = 15_000;

/** Opens `count` sockets to `url` (a few at a time) and resolves once all are welcomed. */
export async function connectSockets(url, count, { parallel = 50 } = {}) {
  const sockets = [];
  let opened = 0;
  async function open() {
    while (opened < count) {
      opened += 1;
      const ws = new WebSocket(url, SOCKET_OPTIONS);
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          ws.terminate();
          reject(new Error(`socket ${sockets.length + 1} of ${count} not welcomed within ${CONNECT_TIMEOUT_MS} ms`));
        }, CONNECT_TIMEOUT_MS);
        ws.once('message', () => {
          clearTimeout(timer);
          resolve();
        });
        ws.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      });
      // A socket the server drops later must not crash the run; the round that misses it
      // times out and says so.
      ws.on('error', () => {});
      sockets.push(ws);
    }
  }
  await Promise.all(Array.from({ length: parallel }, open));
  return sockets;
}

/**
 * Broadcasts one event named `marker` with `data` and resolves with the milliseconds from the
 * request to its first and its last delivery among `sockets`.
 */
export function timedBroadcast(server, channel, sockets, marker, data, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sockets.forEach((ws) => ws.off('message', onMessage));
      reject(new Error(`${remaining} of ${sockets.length} sockets never got ${marker}`));
    }, timeoutMs);
    let first = null;
    let remaining = sockets.length;
    const start = performance.now();
    const onMessage = (message) => {
      if (!message.toString().includes(marker)) return;
      const now = performance.now() - start;
      first ??= now;
      remaining -= 1;
      if (remaining === 0) {
        clearTimeout(timer);
        sockets.forEach((ws) => ws.off('message', onMessage));
        resolve({ first, last: now });
      }
    };
    sockets.forEach((ws) => ws.on('message', onMessage));
    server.broadcast({ channels: [channel], event: marker, data }).then((result) => {
      if (result.status !== 200) reject(new Error(`broadcast answered ${result.status}`));
    }, reject);
  });
}

/**
 * Sends a whisper from `sender` and resolves with the milliseconds until the last of `others`
 * received it.
 */
export function timedWhisper(sender, others, channel, marker, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    let remaining = others.length;
    const start = performance.now();
    const timer = setTimeout(() => {
      others.forEach((ws) => ws.off('message', onMessage));
      reject(new Error(`${remaining} of ${others.length} sockets never got whisper ${marker}`));
    }, timeoutMs);
    const onMessage = (message) => {
      if (!message.toString().includes(marker)) return;
      remaining -= 1;
      if (remaining === 0) {
        clearTimeout(timer);
        others.forEach((ws) => ws.off('message', onMessage));
        resolve(performance.now() - start);
      }
    };
    others.forEach((ws) => ws.on('message', onMessage));
    sender.send(JSON.stringify({ type: 'whisper', channel, event: marker, data: 1 }));
  });
}

/**
 * Keeps `window` broadcasts in flight for `seconds` and returns the deliveries per second the
 * sockets received (a closed loop: a new broadcast starts when one is answered).
 */
export async function sustainedDeliveries(server, channel, sockets, window, seconds, data) {
  let received = 0;
  const count = () => {
    received += 1;
  };
  sockets.forEach((ws) => ws.on('message', count));
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  async function loop() {
    while (performance.now() < deadline) {
      await server.broadcast({ channels: [channel], event: 'load', data });
    }
  }
  await Promise.all(Array.from({ length: window }, loop));
  const elapsed = (performance.now() - start) / 1000;
  sockets.forEach((ws) => ws.off('message', count));
  return received / elapsed;
}

/** Closes every socket. */
export function closeAll(sockets) {
  sockets.forEach((ws) => ws.terminate());
}
