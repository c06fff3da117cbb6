// End-to-end tests of the server-side event chain on workerd, through the demo app's API: one
// dispatch runs in-process listeners, a queued listener from the local Queue, and reaches the
// browsers on the event's channels (the sender excluded).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { uniqueNames, withWorker } from './support/suite.mjs';
import { TestSocket, connectMany } from './support/ws-client.mjs';

let server;
withWorker((started) => (server = started));

const uniqueRoom = uniqueNames('events');

const ofEvent = (name) => (frame) => frame.type === 'event' && frame.event === name;

/** A member of the room's presence channel. */
function joinRoom(room, sub) {
  return TestSocket.connect(server.userUrl(`presence-room.${room}`, { sub }));
}

/** Calls the room API as `sub`; resolves with status and JSON body. */
async function api(room, action, { sub = 'ada', body, socketId, token } = {}) {
  const headers = { authorization: `Bearer ${token ?? server.token({ sub })}` };
  if (socketId) headers['x-socket-id'] = socketId;
  const response = await fetch(`${server.url}/api/rooms/${room}/${action}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Polls the room's message counts until `check` accepts them (the queue consumer is async). */
async function statsUntil(room, check) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const stats = (await api(room, 'stats')).body;
    if (check(stats)) return stats;
    assert.ok(Date.now() < deadline, `the queued listener never counted: ${JSON.stringify(stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Broadcasts a marker and returns the frames `socket` received before it. */
async function framesUntilMarker(channel, socket) {
  const marker = `marker-${Math.random()}`;
  await server.broadcast({ channels: [channel], event: marker });
  await socket.next(ofEvent(marker));
  return socket.frames.splice(0);
}

describe('one dispatch', () => {
  test('runs the in-process listeners, the queued listener, and reaches the room but not the sender', async () => {
    const room = uniqueRoom();
    const channel = `presence-room.${room}`;
    const ada = await joinRoom(room, 'ada');
    const bob = await joinRoom(room, 'bob');
    const result = await api(room, 'messages', { sub: 'ada', body: { text: 'hello room' }, socketId: ada.id });
    assert.equal(result.status, 202, JSON.stringify(result.body));
    assert.deepEqual(result.body.listeners, ['LogMessage', 'NotifyMentions']);
    assert.deepEqual(result.body.queued, ['CountMessages']);
    assert.deepEqual(result.body.failures, []);
    assert.deepEqual(result.body.delivered, { [channel]: 1 }, 'one socket reached: bob, not ada');

    const posted = await bob.next(ofEvent('message.posted'));
    assert.equal(posted.data.id, result.body.id);
    assert.equal(posted.data.user_id, 'ada');
    assert.equal(posted.data.text, 'hello room');
    const adaSaw = await framesUntilMarker(channel, ada);
    assert.deepEqual(adaSaw.filter(ofEvent('message.posted')), [], 'the sender got its own message');

    await server.waitForOutput(new RegExp(`room ${room}: ada posted 10 characters`));
    assert.deepEqual(await statsUntil(room, (stats) => stats.ada === 1), { ada: 1 });
    await api(room, 'messages', { sub: 'bob', body: { text: 'hi ada' } });
    await api(room, 'messages', { sub: 'ada', body: { text: 'again' } });
    assert.deepEqual(await statsUntil(room, (stats) => stats.ada === 2 && stats.bob === 1), { ada: 2, bob: 1 });
    ada.close();
    bob.close();
  });

  test("the event carries the sender's member info and the client_id it chose", async () => {
    const room = uniqueRoom();
    const bob = await joinRoom(room, 'bob');
    const token = server.token({ sub: 'ada', user_info: { name: 'Ada' } });
    const result = await api(room, 'messages', { token, body: { text: 'hi', client_id: 'ada-1' } });
    assert.equal(result.status, 202, JSON.stringify(result.body));
    const posted = await bob.next(ofEvent('message.posted'));
    assert.deepEqual(posted.data.user_info, { name: 'Ada' });
    assert.equal(posted.data.client_id, 'ada-1');
    await api(room, 'messages', { sub: 'ada', body: { text: 'plain' } });
    const plain = await bob.next(ofEvent('message.posted'));
    assert.equal('client_id' in plain.data || 'user_info' in plain.data, false, 'absent fields are left out');
    bob.close();
  });

  test('a listener can broadcast too: mentions reach the mentioned user privately', async () => {
    const room = uniqueRoom();
    const bobPrivate = await TestSocket.connect(server.userUrl('private-user.bob', { sub: 'bob' }));
    const result = await api(room, 'messages', { sub: 'ada', body: { text: 'look @bob' } });
    assert.deepEqual(result.body.failures, []);
    const mentioned = await bobPrivate.next(ofEvent('mentioned'));
    assert.deepEqual(mentioned.data, { room, by: 'ada', message_id: result.body.id });
    bobPrivate.close();
  });

  test('a failing listener is reported and does not stop the broadcast', async () => {
    const room = uniqueRoom();
    const bob = await joinRoom(room, 'bob');
    const text = '@a @b @c @d @e @f too many mentions';
    const result = await api(room, 'messages', { sub: 'ada', body: { text } });
    assert.equal(result.status, 202);
    assert.equal(result.body.failures.length, 1);
    assert.equal(result.body.failures[0].listener, 'NotifyMentions');
    assert.match(result.body.failures[0].error, /6 users mentioned/);
    assert.deepEqual(result.body.listeners, ['LogMessage', 'NotifyMentions'], 'the other listener ran');
    assert.equal((await bob.next(ofEvent('message.posted'))).data.text, text);
    await statsUntil(room, (stats) => stats.ada === 1);
    bob.close();
  });

  test('an event that is not broadcastable reaches its listeners only', async () => {
    const room = uniqueRoom();
    const channel = `presence-room.${room}`;
    const bob = await joinRoom(room, 'bob');
    const result = await api(room, 'reports', { sub: 'bob', body: { reason: 'spam' } });
    assert.equal(result.status, 202);
    assert.deepEqual(result.body.listeners, ['LogReport']);
    assert.equal(result.body.delivered, undefined, 'it was broadcast');
    await server.waitForOutput(new RegExp(`room ${room} reported by bob: spam`));
    const seen = await framesUntilMarker(channel, bob);
    assert.deepEqual(seen.filter((frame) => frame.type === 'event'), []);
    bob.close();
  });
});

describe('the room API refuses', () => {
  test('requests without a valid token for the room', async () => {
    const room = uniqueRoom();
    const noToken = await fetch(`${server.url}/api/rooms/${room}/messages`, { method: 'POST', body: '{"text":"x"}' });
    assert.equal(noToken.status, 401);
    const otherRoom = server.token({ sub: 'ada', channels: ['presence-room.elsewhere'] });
    assert.equal((await api(room, 'messages', { token: otherRoom, body: { text: 'x' } })).status, 403);
    assert.equal((await api(room, 'messages', { token: 'forged', body: { text: 'x' } })).status, 401);
  });

  test('bodies that are not a message', async () => {
    const room = uniqueRoom();
    const bodies = [
      {}, { text: '' }, { text: '   ' }, { text: 'x'.repeat(2001) }, 'not json',
      { text: 'x', client_id: '' }, { text: 'x', client_id: 'c'.repeat(65) }, { text: 'x', client_id: 7 },
    ];
    for (const body of bodies) {
      const result = await api(room, 'messages', { body });
      assert.equal(result.status, 400, JSON.stringify(body));
      assert.equal(result.body.error, 'malformed_frame');
    }
  });
});

test('one broadcast to 10 channels reaches all of them', async () => {
  const channels = Array.from({ length: 10 }, (_, index) => `ten.${process.pid}.${index}`);
  const sockets = await Promise.all(channels.map((channel) => connectMany(server.channelUrl(channel), 2)));
  const result = await server.broadcast({ channels, event: 'fanout', data: { n: 10 } });
  assert.equal(result.status, 200);
  assert.deepEqual(result.body.delivered, Object.fromEntries(channels.map((channel) => [channel, 2])));
  for (const [index, pair] of sockets.entries()) {
    for (const socket of pair) {
      assert.deepEqual(await socket.next(ofEvent('fanout')), { type: 'event', channel: channels[index], event: 'fanout', data: { n: 10 }, offset: 1 });
      socket.close();
    }
  }
});
