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
function resume(channel, epoch, since) {
  return replayed(channel, `since=${since}&epoch=${epoch}`);
}

/**
 * Joins with `query` and returns the offsets replayed on joining (up to a marker it broadcasts
 * itself, which is one more event in the channel), or the recovery:failed frame.
 */
async function replayed(channel, query) {
  const socket = new TestSocket(`${server.channelUrl(channel)}?${query}`);
  const marker = `marker-${query}`;
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

test('the limits hold between the batched deletions of old rows', async () => {
  const channel = uniqueChannel();
  const epoch = await epochOf(channel);
  // Rows beyond the limits are deleted every 64 events; reads apply the limits in between. After
  // 130 events the table still holds 124-130 while only 126-130 are kept.
  await broadcastNumbers(channel, 1, 130);
  const failed = await resume(channel, epoch, 123);
  assert.equal(failed.type, 'recovery:failed', 'a row still on disk but beyond the limits is not replayed');
  assert.match(failed.reason, /no longer kept/);
  // That resume's marker was event 131.
  assert.deepEqual(await resume(channel, epoch, 126), [127, 128, 129, 130, 131]);
  // And that one's 132.
  assert.deepEqual(await replayed(channel, 'history=100'), [128, 129, 130, 131, 132], 'the latest kept, not all rows');
});
