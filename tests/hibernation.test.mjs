// Hibernation on workerd: an idle channel's Durable Object is evicted while its sockets stay
// open, and afterwards a broadcast still reaches every socket and presence is still right.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { withWorker } from './support/suite.mjs';
import { TestSocket, connectMany } from './support/ws-client.mjs';

/** workerd evicts an idle object after roughly 10 to 15 s; nothing signals it, so we wait. */
const IDLE_STEP_MS = 6000;
const MAX_IDLE_MS = 60_000;
const RESUMED = /ChannelDO resumed from hibernation with (\d+) sockets/;

let server;
withWorker((started) => (server = started));

const ofType = (type) => (frame) => frame.type === type;

/** A presence member's socket: `sub` with a name, welcomed and past its `presence:here`. */
async function member(channel, sub) {
  const socket = await TestSocket.connect(server.userUrl(channel, { sub, user_info: { name: sub } }));
  await socket.next(ofType('presence:here'));
  return socket;
}

test('after the objects hibernated, broadcasts reach every socket and presence is right', { timeout: 120_000 }, async () => {
  const channel = `hibernation.${process.pid}`;
  const sockets = await connectMany(server.channelUrl(channel), 20);
  // A presence channel idles alongside: ada with one socket, bob with two.
  const room = `presence-hibernation.${process.pid}`;
  const ada = await member(room, 'ada');
  const bobs = [await member(room, 'bob'), await member(room, 'bob')];
  assert.equal((await ada.next(ofType('presence:join'))).member.id, 'bob');
  // A client that leaves before the idle spell, to resume after it.
  const resumer = new TestSocket(server.channelUrl(channel));
  const { epoch } = await resumer.next(ofType('welcome'));
  await server.broadcast({ channels: [channel], event: 'before' });
  const before = await resumer.next(ofType('event'));
  await Promise.all(sockets.map((socket) => socket.next(ofType('event'))));
  resumer.close();
  const logBefore = server.output().length;
  // Pings are answered by the runtime's auto-response and must not keep the object awake.
  let idle = 0;
  let resumed = null;
  while (!resumed && idle < MAX_IDLE_MS) {
    await sleep(IDLE_STEP_MS);
    idle += IDLE_STEP_MS;
    const everyone = [...sockets, ada, ...bobs];
    everyone.forEach((socket) => socket.send('{"type":"ping"}'));
    await Promise.all(everyone.map((socket) => socket.next(ofType('pong'))));
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

  // Offsets went on where they were, and the history survived the eviction.
  const back = new TestSocket(`${server.channelUrl(channel)}?since=${before.offset}&epoch=${epoch}`);
  const welcome = await back.next(ofType('welcome'));
  assert.equal(welcome.epoch, epoch);
  const missed = [];
  while (missed.length < welcome.offset - before.offset) missed.push(await back.next(ofType('event')));
  assert.deepEqual(missed.map((frame) => frame.offset), Array.from({ length: missed.length }, (_, i) => before.offset + 1 + i));
  assert.ok(missed.length >= 1 && missed.every((frame) => frame.event.startsWith('after-')));
  back.close();

  // The presence object comes back with its three sockets and the members they carry.
  const carol = await TestSocket.connect(server.userUrl(room, { sub: 'carol', user_info: { name: 'carol' } }));
  const here = await carol.next(ofType('presence:here'));
  assert.deepEqual(here.members, [
    { id: 'ada', info: { name: 'ada' } },
    { id: 'bob', info: { name: 'bob' } },
    { id: 'carol', info: { name: 'carol' } },
  ]);
  // The log line arrives a moment after the upgrade it belongs to.
  await server.waitForOutput(/resumed from hibernation with 3 sockets/);
  assert.equal((await ada.next(ofType('presence:join'))).member.id, 'carol');
  bobs[0].close();
  await bobs[0].whenClosed();
  bobs[1].close();
  const leave = await ada.next(ofType('presence:leave'));
  assert.equal(leave.member.id, 'bob');
  assert.deepEqual(ada.frames.filter(ofType('presence:leave')), [], 'one leave for bob, not two');
  ada.close();
  carol.close();
});
