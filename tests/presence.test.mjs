// End-to-end tests of presence on workerd: members are users, not sockets; the joining socket
// gets everyone; vanished clients are swept by the Durable Object's alarm.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { uniqueNames, withWorker } from './support/suite.mjs';
import { TestSocket } from './support/ws-client.mjs';

/** A short sweep timeout, so the ghost test takes seconds; every other socket pings often. */
const PRESENCE_TIMEOUT_MS = 1500;
const HEARTBEAT_MS = 200;

let server;
withWorker((started) => (server = started), { presenceTimeoutMs: PRESENCE_TIMEOUT_MS });

const uniqueChannel = uniqueNames('presence-room');

const ofType = (type) => (frame) => frame.type === type;

/** Connects user `sub` (with `info`) and returns the socket and its `presence:here` frame. */
async function join(channel, sub, info) {
  const url = server.userUrl(channel, { sub, channels: ['presence-room.*'], user_info: info });
  const socket = await TestSocket.connect(url, { heartbeatMs: HEARTBEAT_MS });
  const here = await socket.next(ofType('presence:here'));
  return { socket, here };
}

/** Broadcasts a marker and returns the frames `socket` received before it. */
async function framesUntilMarker(channel, socket, name) {
  await server.broadcast({ channels: [channel], event: name });
  await socket.next((frame) => frame.type === 'event' && frame.event === name);
  return socket.frames.splice(0);
}

test('a new member gets everyone with their user_info, and the others get its join', async () => {
  const channel = uniqueChannel();
  const ada = await join(channel, 'ada', { name: 'Ada' });
  assert.deepEqual(ada.here, { type: 'presence:here', channel, members: [{ id: 'ada', info: { name: 'Ada' } }] });
  const bob = await join(channel, 'bob', { name: 'Bob', role: 'admin' });
  assert.deepEqual(bob.here.members, [
    { id: 'ada', info: { name: 'Ada' } },
    { id: 'bob', info: { name: 'Bob', role: 'admin' } },
  ]);
  assert.deepEqual(await ada.socket.next(ofType('presence:join')), {
    type: 'presence:join',
    channel,
    member: { id: 'bob', info: { name: 'Bob', role: 'admin' } },
  });
  const noInfo = await join(channel, 'cy');
  assert.deepEqual(noInfo.here.members.at(-1), { id: 'cy', info: null });
  for (const member of [ada, bob, noInfo]) member.socket.close();
});

test('the same user in three tabs: one join; closing two: no leave; closing the third: one leave', async () => {
  const channel = uniqueChannel();
  const observer = await join(channel, 'bob', { name: 'Bob' });
  const tabs = [];
  for (let i = 0; i < 3; i += 1) tabs.push(await join(channel, 'ada', { name: 'Ada' }));
  assert.deepEqual(tabs[2].here.members.map((member) => member.id), ['bob', 'ada'], 'one entry per user');

  let seen = await framesUntilMarker(channel, observer.socket, 'after-joins');
  assert.deepEqual(seen.filter(ofType('presence:join')).map((frame) => frame.member.id), ['ada']);

  tabs[0].socket.close();
  tabs[1].socket.close();
  await Promise.all([tabs[0].socket.whenClosed(), tabs[1].socket.whenClosed()]);
  seen = await framesUntilMarker(channel, observer.socket, 'after-two-closed');
  assert.deepEqual(seen.filter(ofType('presence:leave')), [], 'a leave while a tab is still open');

  tabs[2].socket.close();
  const leave = await observer.socket.next(ofType('presence:leave'));
  assert.deepEqual(leave, { type: 'presence:leave', channel, member: { id: 'ada', info: { name: 'Ada' } } });
  seen = await framesUntilMarker(channel, observer.socket, 'after-all-closed');
  assert.deepEqual(seen.filter(ofType('presence:leave')), [], 'a second leave');
  const late = await join(channel, 'cy');
  assert.deepEqual(late.here.members.map((member) => member.id), ['bob', 'cy']);
  observer.socket.close();
  late.socket.close();
});

test('a client that vanished without a close is swept and its leave broadcast', async () => {
  const channel = uniqueChannel();
  const watcher = await join(channel, 'bob');
  const ghost = await join(channel, 'ghost', { name: 'Gone' });
  await watcher.socket.next(ofType('presence:join'));

  ghost.socket.vanish();
  const leave = await watcher.socket.next(ofType('presence:leave'), PRESENCE_TIMEOUT_MS * 10);
  assert.deepEqual(leave.member, { id: 'ghost', info: { name: 'Gone' } });
  await server.waitForOutput(/swept socket .* no heartbeat/);
  const late = await join(channel, 'cy');
  assert.deepEqual(late.here.members.map((member) => member.id), ['bob', 'cy'], 'the ghost is gone');
  assert.equal(watcher.socket.closed, null, 'a socket that kept pinging is kept');
  watcher.socket.close();
  late.socket.close();
});

test('a presence channel needs a user id; a private channel does not count members', async () => {
  const channel = uniqueChannel();
  const socket = await TestSocket.connect(server.userUrl(`private-${channel}`, { sub: 'ada' }));
  const seen = await framesUntilMarker(`private-${channel}`, socket, 'marker');
  assert.deepEqual(seen.filter((frame) => frame.type.startsWith('presence:')), []);
  socket.close();
});
