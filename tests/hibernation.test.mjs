// Hibernation on workerd: an idle channel's Durable Object is evicted while its sockets stay
// open, and a broadcast afterwards still reaches every socket.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startWorker } from './support/worker-server.mjs';
import { connectMany } from './support/ws-client.mjs';

/** workerd evicts an idle object after roughly 10 to 15 s; nothing signals it, so we wait. */
const IDLE_STEP_MS = 6000;
const MAX_IDLE_MS = 60_000;
const RESUMED = /ChannelDO resumed from hibernation with (\d+) sockets/;

let server;
before(async () => {
  server = await startWorker();
});
after(async () => {
  await server?.dispose();
});

test('after the object hibernated, a broadcast still reaches every socket', { timeout: 120_000 }, async () => {
  const channel = `hibernation.${process.pid}`;
  const sockets = await connectMany(server.channelUrl(channel), 20);
  const logBefore = server.output().length;
  // Pings are answered by the runtime's auto-response and must not keep the object awake.
  let idle = 0;
  let resumed = null;
  while (!resumed && idle < MAX_IDLE_MS) {
    await sleep(IDLE_STEP_MS);
    idle += IDLE_STEP_MS;
    sockets.forEach((socket) => socket.send('{"type":"ping"}'));
    await Promise.all(sockets.map((socket) => socket.next((frame) => frame.type === 'pong')));
    if (idle < 18_000) continue;
    const result = await server.broadcast({ channels: [channel], event: `after-${idle}` });
    assert.deepEqual(result.body.delivered, { [channel]: 20 });
    const frames = await Promise.all(sockets.map((socket) => socket.next((frame) => frame.type === 'event')));
    assert.ok(frames.every((frame) => frame.event === `after-${idle}`));
    resumed = server.output().slice(logBefore).match(RESUMED);
  }
  assert.ok(resumed, `the object was never evicted in ${MAX_IDLE_MS} ms:\n${server.output()}`);
  assert.equal(Number(resumed[1]), 20);
  sockets.forEach((socket) => socket.close());
});
