// End-to-end tests of the history's bounds on workerd (BROADCAST_HISTORY_SIZE and
// BROADCAST_HISTORY_TTL_MS, made small here): a channel keeps only its latest events and only
// recent ones, so resuming from before them fails explicitly, and from within them replays
// exactly the kept ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { uniqueNames, withWorker } from './support/suite.mjs';
import { TestSocket } from './support/ws-client.mjs';

const HISTORY_SIZE = 5;
const HISTORY_TTL_MS = 1500;

let server;
withWorker((started) => (server = started), {
  vars: { BROADCAST_HISTORY_SIZE: String(HISTORY_SIZE), BROADCAST_HISTORY_TTL_MS: String(HISTORY_TTL_MS) },
});

const uniqueChannel = uniqueNames('history-limits');

/** The channel's epoch, from a fresh socket's welcome. */
async function epochOf(channel) {
  const socket = new TestSocket(server.channelUrl(channel));
  const welcome = await socket.next((frame) => frame.type === 'welcome');
  socket.close();
  return welcome.epoch;
}

async function broadcastNumbers(channel, from, to) {
  for (let n = from; n <= to; n += 1) {
    assert.equal((await server.broadcast({ channels: [channel], event: 'n', data: { n } })).status, 200);
  }
}

/** Resumes at `since` and returns the replayed offsets (up to a marker it broadcasts itself), or the recovery:failed frame. */
async function resume(channel, epoch, since) {
  const socket = new TestSocket(`${server.channelUrl(channel)}?since=${since}&epoch=${epoch}`);
  const marker = `marker-${since}`;
  await socket.next((frame) => frame.type === 'welcome');
  await server.broadcast({ channels: [channel], event: marker });
  const frames = [];
  for (;;) {
    const frame = await socket.next((f) => f.type === 'event' || f.type === 'recovery:failed');
    if (frame.type === 'recovery:failed') {
      socket.close();
      return frame;
    }
    if (frame.event === marker) break;
    frames.push(frame.offset);
  }
  socket.close();
  return frames;
}

test(`only the latest ${HISTORY_SIZE} events are kept`, async () => {
  const channel = uniqueChannel();
  const epoch = await epochOf(channel);
  await broadcastNumbers(channel, 1, 8);
  assert.deepEqual(await resume(channel, epoch, 3), [4, 5, 6, 7, 8], 'from the oldest kept');
  const failed = await resume(channel, epoch, 2);
  assert.equal(failed.type, 'recovery:failed');
  assert.match(failed.reason, /no longer kept/);
});

test('events older than the time limit are dropped by the next broadcast', async () => {
  const channel = uniqueChannel();
  const epoch = await epochOf(channel);
  await broadcastNumbers(channel, 1, 3);
  assert.deepEqual(await resume(channel, epoch, 0), [1, 2, 3], 'all recent');
  // Nothing signals that the events became too old: wait out the limit.
  await new Promise((resolve) => setTimeout(resolve, HISTORY_TTL_MS + 200));
  await broadcastNumbers(channel, 5, 5);
  assert.deepEqual(await resume(channel, epoch, 4), [5], 'the newest is kept');
  const failed = await resume(channel, epoch, 3);
  assert.equal(failed.type, 'recovery:failed');
  assert.match(failed.reason, /no longer kept/);
});
