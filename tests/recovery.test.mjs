// End-to-end tests of history and recovery on workerd: a client that lost its connection
// resumes from its last offset and gets exactly what it missed, or an explicit
// recovery:failed when that is impossible.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { uniqueNames, withWorker } from './support/suite.mjs';
import { TestSocket } from './support/ws-client.mjs';

let server;
withWorker((started) => (server = started));

const uniqueChannel = uniqueNames('recovery');

const isEvent = (frame) => frame.type === 'event';

/** Opens a socket and returns it with its welcome frame. */
async function connect(url) {
  const socket = new TestSocket(url);
  const welcome = await socket.next((frame) => frame.type === 'welcome');
  return { socket, welcome };
}

/** Broadcasts `count` numbered events, `inFlight` requests at a time; returns the accepted numbers. */
async function burst(channel, count, { inFlight = 8, size = 0 } = {}) {
  const accepted = [];
  let next = 0;
  const padding = 'x'.repeat(size);
  async function worker() {
    while (next < count) {
      const n = next;
      next += 1;
      const result = await server.broadcast({ channels: [channel], event: 'n', data: { n, padding } });
      if (result.status === 200) accepted.push(n);
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  return accepted;
}

test('a client cut off during a burst of 1000 gets exactly the missed events on reconnect', { timeout: 120_000 }, async () => {
  const channel = uniqueChannel();
  const { socket: first, welcome } = await connect(server.channelUrl(channel));
  const received = [];
  const publishing = burst(channel, 1000);
  // Take events until 300 have arrived, then vanish without a close frame.
  while (received.length < 300) received.push(await first.next(isEvent));
  first.ws.terminate();
  const lastOffset = received.at(-1).offset;

  const accepted = await publishing;
  assert.equal(accepted.length, 1000, 'every broadcast was accepted');
  const url = `${server.channelUrl(channel)}?since=${lastOffset}&epoch=${welcome.epoch}`;
  const { socket: second } = await connect(url);
  while (received.length < 1000) received.push(await second.next(isEvent));
  await server.broadcast({ channels: [channel], event: 'live' });
  const live = await second.next(isEvent);
  assert.equal(live.event, 'live', 'live events follow the replay');

  const offsets = received.map((frame) => frame.offset);
  assert.deepEqual(offsets, Array.from({ length: 1000 }, (_, index) => index + 1), 'in order, no gap, no duplicate');
  assert.deepEqual(received.map((frame) => frame.data.n).sort((a, b) => a - b), accepted.sort((a, b) => a - b));
  assert.equal(live.offset, 1001);
  second.close();
});

test('a client with nothing new resumes with no replay', async () => {
  const channel = uniqueChannel();
  const { socket, welcome } = await connect(server.channelUrl(channel));
  await server.broadcast({ channels: [channel], event: 'one' });
  const one = await socket.next(isEvent);
  socket.close();
  const { socket: again } = await connect(`${server.channelUrl(channel)}?since=${one.offset}&epoch=${welcome.epoch}`);
  await server.broadcast({ channels: [channel], event: 'two' });
  const next = await again.next();
  assert.equal(next.event, 'two');
  assert.equal(next.offset, one.offset + 1);
  again.close();
});

test('what cannot be replayed gets recovery:failed, then live events as usual', async () => {
  const channel = uniqueChannel();
  const { socket, welcome } = await connect(server.channelUrl(channel));
  socket.close();
  // 60 events of 10 KiB: more than the 512 KiB one replay may send.
  await burst(channel, 60, { size: 10 * 1024 });
  const cases = [
    [`since=0&epoch=${welcome.epoch}`, /more than one replay sends/],
    ['since=0&epoch=another-epoch', /epoch changed/],
    [`since=999&epoch=${welcome.epoch}`, /ahead of the channel's latest/],
  ];
  for (const [query, reason] of cases) {
    const { socket: resuming } = await connect(`${server.channelUrl(channel)}?${query}`);
    const failed = await resuming.next();
    assert.equal(failed.type, 'recovery:failed', query);
    assert.match(failed.reason, reason);
    await server.broadcast({ channels: [channel], event: 'live' });
    assert.equal((await resuming.next()).event, 'live', query);
    resuming.close();
  }
});

test('garbage from one socket harms nobody else', { timeout: 60_000 }, async () => {
  const channel = `private-${uniqueChannel()}`;
  const url = server.userUrl(channel, { sub: 'fuzzer' });
  const bystander = await TestSocket.connect(server.userUrl(channel, { sub: 'bystander' }));
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const valid = JSON.stringify({ type: 'whisper', channel, event: 'e', data: { a: [1, 2, { b: 'c' }] } });
  const garbage = [
    ...Array.from({ length: 50 }, () => Buffer.from(Array.from({ length: 1 + Math.floor(random() * 200) }, () => Math.floor(random() * 256)))),
    ...Array.from({ length: 50 }, () => valid.slice(0, Math.floor(random() * valid.length))),
    ...Array.from({ length: 50 }, () => {
      const chars = [...valid];
      chars[Math.floor(random() * chars.length)] = String.fromCharCode(Math.floor(random() * 0x3000));
      return chars.join('');
    }),
    JSON.stringify({ type: 'whisper', channel, event: 'e', data: 1 }).replace('1}', '1e999999}'),
    JSON.stringify({ type: 'whisper', channel, event: 'e', data: Number.MAX_SAFE_INTEGER }).replace(/\d+}$/, '9'.repeat(5000) + '}'),
    `{"type":"whisper","channel":"${channel}","event":"e","data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    '{"type":'.repeat(5000),
    '',
    'null',
    '"just a string"',
  ];
  let fuzzer = await TestSocket.connect(url);
  let reconnects = 0;
  for (const [index, frame] of garbage.entries()) {
    if (fuzzer.closed) {
      reconnects += 1;
      fuzzer = await TestSocket.connect(url);
    }
    fuzzer.send(frame);
    if (index % 25 === 0) {
      await server.broadcast({ channels: [channel], event: `alive-${index}` });
      assert.equal((await bystander.next(isEvent)).event, `alive-${index}`);
    }
  }
  // Invalid UTF-8 in a text frame: the runtime decodes it lossily, and the result is refused.
  const victim = await TestSocket.connect(url);
  victim.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  assert.equal((await victim.next((frame) => frame.type === 'error')).code, 'malformed_frame');
  victim.close();

  await server.broadcast({ channels: [channel], event: 'after-garbage' });
  const frames = [];
  for (;;) {
    const frame = await bystander.next();
    frames.push(frame);
    if (frame.event === 'after-garbage') break;
  }
  assert.ok(frames.every((frame) => frame.type === 'event' || frame.type === 'whisper'), JSON.stringify(frames.slice(0, 3)));
  assert.equal(bystander.closed, null);
  assert.ok(reconnects <= 2, `the fuzzing socket was closed ${reconnects} times`);
  fuzzer.close();
  bystander.close();
});

test('a joining client may ask for the latest events first', async () => {
  const channel = uniqueChannel();
  for (let n = 1; n <= 5; n += 1) await server.broadcast({ channels: [channel], event: 'n', data: n });
  const { socket } = await connect(`${server.channelUrl(channel)}?history=3`);
  const past = [await socket.next(isEvent), await socket.next(isEvent), await socket.next(isEvent)];
  assert.deepEqual(past.map((frame) => frame.data), [3, 4, 5]);
  await server.broadcast({ channels: [channel], event: 'n', data: 6 });
  assert.equal((await socket.next()).data, 6, 'live events follow, nothing repeated');
  const { socket: plain } = await connect(server.channelUrl(channel));
  await server.broadcast({ channels: [channel], event: 'n', data: 7 });
  assert.equal((await plain.next()).data, 7, 'no history unless asked');
  socket.close();
  plain.close();
});
