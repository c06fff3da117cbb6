// End-to-end tests of the Worker and ChannelDO on workerd: broadcasts, the broadcast secret,
// joining, bad input. Whispers, channel tokens and presence have their own files.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { uniqueNames, withWorker } from './support/suite.mjs';
import { TestSocket, connectMany, refusedUpgrade } from './support/ws-client.mjs';

let server;
withWorker((started) => (server = started));

/** A channel name no other test uses. */
const uniqueChannel = uniqueNames('test');

const isEvent = (name) => (frame) => frame.type === 'event' && frame.event === name;

describe('broadcast', () => {
  test('reaches every one of 100 connected sockets', async () => {
    const channel = uniqueChannel();
    const sockets = await connectMany(server.channelUrl(channel), 100);
    const result = await server.broadcast({ channels: [channel], event: 'hello', data: { n: 1 } });
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { delivered: { [channel]: 100 } });
    const frames = await Promise.all(sockets.map((socket) => socket.next(isEvent('hello'))));
    for (const frame of frames) {
      assert.deepEqual(frame, { type: 'event', channel, event: 'hello', data: { n: 1 }, offset: 1 });
    }
    sockets.forEach((socket) => socket.close());
  });

  test('except leaves out exactly one socket', async () => {
    const channel = uniqueChannel();
    const [excluded, ...others] = await connectMany(server.channelUrl(channel), 4);
    const result = await server.broadcast({ channels: [channel], event: 'first', data: 1, except: excluded.id });
    assert.deepEqual(result.body.delivered, { [channel]: 3 });
    await Promise.all(others.map((socket) => socket.next(isEvent('first'))));
    await server.broadcast({ channels: [channel], event: 'second', data: 2 });
    // Frames arrive in order, so the excluded socket's next event proves it never got the first.
    assert.equal((await excluded.next((frame) => frame.type === 'event')).event, 'second');
    [excluded, ...others].forEach((socket) => socket.close());
  });

  test('one request reaches several channels, each counted', async () => {
    const channels = [uniqueChannel(), uniqueChannel(), uniqueChannel()];
    const sockets = await Promise.all(channels.map((channel, index) => connectMany(server.channelUrl(channel), index + 1)));
    const result = await server.broadcast({ channels, event: 'multi', data: null });
    assert.equal(result.status, 200);
    assert.deepEqual(result.body.delivered, { [channels[0]]: 1, [channels[1]]: 2, [channels[2]]: 3 });
    for (const [index, group] of sockets.entries()) {
      for (const socket of group) {
        assert.deepEqual(await socket.next(isEvent('multi')), { type: 'event', channel: channels[index], event: 'multi', data: null, offset: 1 });
        socket.close();
      }
    }
  });

  test('a wrong or missing secret gets 401 and reaches nobody', async () => {
    const channel = uniqueChannel();
    const socket = await TestSocket.connect(server.channelUrl(channel));
    for (const secret of ['wrong-secret', null, '']) {
      const result = await server.broadcast({ channels: [channel], event: 'forged' }, { secret });
      assert.equal(result.status, 401, `secret ${secret}`);
      assert.equal(result.body.error, 'unauthorized');
    }
    await server.broadcast({ channels: [channel], event: 'genuine' });
    assert.equal((await socket.next((frame) => frame.type === 'event')).event, 'genuine');
    socket.close();
  });

  test('bad bodies get a clear 4xx error', async () => {
    const cases = [
      ['not json', 400, 'malformed_frame'],
      [{ channels: ['bad name'], event: 'e' }, 400, 'malformed_frame'],
      [{ channels: [], event: 'e' }, 400, 'invalid_channel'],
      [{ channels: ['ok'] }, 400, 'malformed_frame'],
      [{ channels: ['ok'], event: '' }, 400, 'malformed_frame'],
      [{ channels: ['ok'], event: 'e', data: 'x'.repeat(100 * 1024) }, 413, 'payload_too_large'],
    ];
    for (const [body, status, error] of cases) {
      const result = await server.broadcast(body);
      assert.equal(result.status, status, JSON.stringify(result.body));
      assert.equal(result.body.error, error);
      assert.ok(result.body.message.length > 0);
    }
  });

  test('GET /broadcast is refused with 405', async () => {
    const response = await fetch(`${server.url}/broadcast`);
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
  });
});

describe('joining a channel', () => {
  test('the welcome frame carries the socket id, channel and protocol', async () => {
    const channel = uniqueChannel();
    const socket = new TestSocket(server.channelUrl(channel));
    const welcome = await socket.next();
    assert.equal(welcome.type, 'welcome');
    assert.equal(welcome.channel, channel);
    assert.equal(welcome.protocol, 1);
    assert.match(welcome.socket_id, /^[0-9a-f-]{36}$/);
    socket.close();
  });

  test('a bad channel name gets 400 with a JSON error', async () => {
    for (const name of ['bad%20name', 'a'.repeat(200), 'private-', 'caf%C3%A9']) {
      const refused = await refusedUpgrade(server.channelUrl(name));
      assert.equal(refused.status, 400, name);
      assert.equal(refused.body.error, 'invalid_channel');
    }
  });

  test('a request without an upgrade gets 426', async () => {
    const response = await fetch(`${server.url}/ws/channel/news`);
    assert.equal(response.status, 426);
    assert.equal((await response.json()).error, 'upgrade_required');
  });

  test('an unknown path gets 404', async () => {
    const response = await fetch(`${server.url}/nothing/here`);
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error, 'not_found');
  });

  test('a ping is answered with a pong', async () => {
    const socket = await TestSocket.connect(server.channelUrl(uniqueChannel()));
    socket.send('{"type":"ping"}');
    assert.deepEqual(await socket.next(), { type: 'pong' });
    socket.close();
  });
});

describe('bad input from a client', () => {
  test('malformed and unknown frames get an error frame and the socket keeps working', async () => {
    const channel = uniqueChannel();
    const socket = await TestSocket.connect(server.channelUrl(channel));
    const cases = [
      ['{not json', 'malformed_frame'],
      ['[1,2,3]', 'malformed_frame'],
      ['{"type":"teleport"}', 'unknown_frame'],
      ['{"type":"whisper","channel":"x"}', 'malformed_frame'],
      [JSON.stringify({ type: 'whisper', channel, event: '' }), 'invalid_event'],
      [JSON.stringify({ type: 'whisper', channel: 'a b', event: 'e' }), 'invalid_channel'],
      [Buffer.from([0xff, 0x00, 0x01]), 'binary_unsupported'],
    ];
    for (const [frame, code] of cases) {
      socket.send(frame);
      const reply = await socket.next();
      assert.equal(reply.type, 'error', String(frame));
      assert.equal(reply.code, code, String(frame));
      assert.ok(reply.message.length > 0);
    }
    await server.broadcast({ channels: [channel], event: 'still-here' });
    assert.equal((await socket.next()).event, 'still-here');
    socket.close();
  });

  test('an oversized frame closes only that socket, with 1009', async () => {
    const channel = uniqueChannel();
    const [offender, bystander] = await connectMany(server.channelUrl(channel), 2);
    offender.send(JSON.stringify({ type: 'whisper', channel, event: 'big', data: 'x'.repeat(70 * 1024) }));
    const closed = await offender.whenClosed();
    assert.equal(closed.code, 1009);
    await server.broadcast({ channels: [channel], event: 'after-big' });
    assert.equal((await bystander.next()).event, 'after-big');
    assert.equal(bystander.closed, null);
    bystander.close();
  });
});
