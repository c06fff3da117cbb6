// End-to-end tests of whispers on workerd: private and presence channels only, stamped by the
// server, never echoed, and rate limited per socket.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { uniqueNames, withWorker } from './support/suite.mjs';
import { TestSocket, connectMany } from './support/ws-client.mjs';

let server;
withWorker((started) => (server = started));

const uniqueChannel = uniqueNames('whisper');

const isEvent = (name) => (frame) => frame.type === 'event' && frame.event === name;

/** Sockets of distinct users on a private or presence channel. */
function connectUsers(channel, users) {
  return Promise.all(users.map((sub) => TestSocket.connect(server.userUrl(channel, { sub }))));
}

test('a whisper on a public channel is refused and reaches nobody', async () => {
  const channel = uniqueChannel('');
  const [sender, other] = await connectMany(server.channelUrl(channel), 2);
  sender.send({ type: 'whisper', channel, event: 'typing', data: 1 });
  const error = await sender.next();
  assert.equal(error.type, 'error');
  assert.equal(error.code, 'whisper_not_allowed');
  await server.broadcast({ channels: [channel], event: 'marker' });
  assert.equal((await other.next()).event, 'marker', 'the other socket got the whisper');
  sender.close();
  other.close();
});

test('a private whisper reaches every other socket, stamped with the sender, never the sender', async () => {
  const channel = uniqueChannel('private-');
  const [sender, ...others] = await connectUsers(channel, ['ada', 'bob', 'cy']);
  sender.send({ type: 'whisper', channel, event: 'typing', data: { who: 'ada' }, from: 'forged-id', user: 'root' });
  for (const socket of others) {
    assert.deepEqual(await socket.next(), { type: 'whisper', channel, event: 'typing', data: { who: 'ada' }, from: sender.id });
  }
  await server.broadcast({ channels: [channel], event: 'after' });
  assert.equal((await sender.next()).event, 'after', 'the sender got its own whisper');
  [sender, ...others].forEach((socket) => socket.close());
});

test('a presence whisper claiming another user arrives stamped with the real one', async () => {
  const channel = uniqueChannel('presence-');
  const [mallory, ada] = await connectUsers(channel, ['mallory', 'ada']);
  mallory.send({ type: 'whisper', channel, event: 'vote', data: 'yes', from: ada.id, user: 'ada' });
  const whisper = await ada.next((frame) => frame.type === 'whisper');
  assert.equal(whisper.user, 'mallory');
  assert.equal(whisper.from, mallory.id);
  mallory.close();
  ada.close();
});

test('naming another channel gets an error frame', async () => {
  const channel = uniqueChannel('private-');
  const [socket] = await connectUsers(channel, ['ada']);
  socket.send({ type: 'whisper', channel: 'private-elsewhere', event: 'e', data: 1 });
  const frame = await socket.next();
  assert.equal(frame.type, 'error');
  assert.equal(frame.code, 'channel_mismatch');
  socket.close();
});

test('a whisper flood is limited, then closed with 4008; the channel carries on', async () => {
  const channel = uniqueChannel('private-');
  const [flooder, listener, bystander] = await connectUsers(channel, ['flood', 'listen', 'by']);
  const FLOOD = 300;
  for (let n = 0; n < FLOOD; n += 1) {
    flooder.send({ type: 'whisper', channel, event: 'spam', data: n });
  }
  const closed = await flooder.whenClosed();
  assert.equal(closed.code, 4008, JSON.stringify(closed));
  const refusals = flooder.frames.filter((frame) => frame.code === 'rate_limited');
  assert.ok(refusals.length >= 90, `${refusals.length} rate_limited errors`);

  await server.broadcast({ channels: [channel], event: 'still-fine' });
  await listener.next(isEvent('still-fine'));
  const relayed = listener.frames.filter((frame) => frame.type === 'whisper');
  // A burst of 20, plus 10 a second for however long the flood took to arrive.
  assert.ok(relayed.length >= 20 && relayed.length <= 40, `${relayed.length} whispers relayed`);
  const numbers = relayed.map((frame) => frame.data);
  assert.deepEqual(numbers.slice(0, 20), [...Array(20).keys()], 'the burst goes through first');
  assert.ok(numbers.every((n, index) => index === 0 || n > numbers[index - 1]), 'in order');
  assert.deepEqual(await bystander.next((frame) => frame.type === 'event'), { type: 'event', channel, event: 'still-fine', data: null, offset: 1 });
  listener.close();
  bystander.close();
});
