// The load client: many sockets in this process, and rounds of broadcasts timed from the
// request to the first and the last delivery.
import WebSocket from 'ws';

/** Opens `count` sockets to `url` (a few at a time) and resolves once all are welcomed. */
export async function connectSockets(url, count, { parallel = 50 } = {}) {
  const sockets = [];
  let opened = 0;
  async function open() {
    while (opened < count) {
      opened += 1;
      const ws = new WebSocket(url);
      await new Promise((resolve, reject) => {
        ws.once('message', resolve);
        ws.once('error', reject);
      });
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

/** Closes every socket. */
export function closeAll(sockets) {
  sockets.forEach((ws) => ws.terminate());
}
