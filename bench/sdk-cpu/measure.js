// SDK work per received message, measured in the page: the time from a text frame reaching the
// socket's `onmessage` to the application's listener having been called, for the broadcast
// client and for the least a JavaScript client can do (JSON.parse, a Map lookup, a call).
// Both sides get the same prebuilt frames through the same loop; only the handler differs.
import init, { createBroadcastClient } from '/pkg/broadcast_client.js';
import { FakeWebSocket } from './fake-socket.js';

const CHANNEL = 'bench';
const EVENT = 'tick';

// The SDK resolves the global at the moment it opens a socket.
globalThis.WebSocket = FakeWebSocket;

/** JSON of `size` bytes shaped like an application's payload: a list of records and a note. */
export function payloadJson(size) {
  const items = [];
  const encode = (note) => JSON.stringify({ items, note });
  for (let id = 0; encode('').length <= size; id += 1) {
    items.push({ id, name: `user-${id}`, score: id * 1.5, active: id % 2 === 0 });
  }
  items.pop();
  return encode('x'.repeat(Math.max(0, size - encode('').length)));
}

/** An event frame as the server encodes it (protocol/src/frame.rs, `ServerFrame::Event`). */
function eventFrame(payload, offset) {
  return `{"type":"event","channel":"${CHANNEL}","event":"${EVENT}","data":${payload},"offset":${offset}}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * `count` event frames from `offset` on, each a MessageEvent holding a flat string decoded from
 * UTF-8 bytes, as the browser hands a received text frame to `onmessage` (a string built by
 * concatenation would be flattened inside the timed loop instead).
 */
function frames(payload, offset, count) {
  const events = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const data = decoder.decode(encoder.encode(eventFrame(payload, offset + i)));
    events[i] = new MessageEvent('message', { data });
  }
  return events;
}

function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The broadcast client on a public channel, welcomed by the fake server, with one listener. */
async function ourSide() {
  const opened = new Promise((resolve) => {
    FakeWebSocket.onCreate = resolve;
  });
  const client = createBroadcastClient(`ws://${location.host}/ws/channel/${CHANNEL}`);
  const ws = await within(5000, opened, 'the client opening its socket');
  FakeWebSocket.onCreate = () => {};
  ws.open();
  ws.deliver(JSON.stringify({
    type: 'welcome', protocol: 1, socket_id: 'bench-socket', channel: CHANNEL, epoch: 'bench-epoch', offset: 0,
  }));
  await within(5000, client.ready(), 'the welcome opening the client');
  const side = { name: 'ours', ws, client, offset: 1, received: 0, last: undefined };
  client.on(EVENT, (data) => {
    side.received += 1;
    side.last = data;
  });
  return side;
}

/** The floor: what any JavaScript client must do with a frame, and nothing else. */
function plainSide() {
  const ws = new FakeWebSocket(`ws://${location.host}/plain`);
  ws.open();
  const side = { name: 'plain', ws, offset: 1, received: 0, last: undefined };
  const handlers = new Map([[EVENT, (data) => {
    side.received += 1;
    side.last = data;
  }]]);
  ws.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    const handler = handlers.get(frame.event);
    if (handler !== undefined) handler(frame.data, frame);
  };
  return side;
}

/** The timed part: every frame through the socket's handler, as the browser would call it. */
function dispatch(ws, events) {
  const start = performance.now();
  for (let i = 0; i < events.length; i += 1) ws.onmessage(events[i]);
  return performance.now() - start;
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** ns per message for `messages` frames, prebuilt `batch` at a time (4 KiB x 100k would be 400 MB). */
async function timeSide(side, payload, messages, batch) {
  const before = side.received;
  let ms = 0;
  for (let left = messages; left > 0; left -= batch) {
    const events = frames(payload, side.offset, Math.min(batch, left));
    side.offset += events.length;
    // Start each batch on a clean heap and an empty task queue (timers, the heartbeat).
    globalThis.gc?.();
    await turn();
    ms += dispatch(side.ws, events);
  }
  const received = side.received - before;
  if (received !== messages) {
    throw new Error(`${side.name}: ${received} of ${messages} messages reached the listener`);
  }
  if (messages > 0 && JSON.stringify(side.last) !== payload) {
    throw new Error(`${side.name}: the listener received data other than the payload sent`);
  }
  return (ms * 1e6) / messages;
}

/**
 * For each payload size: warm-up, then `rounds` rounds of `messages` messages per side, the
 * order alternating between rounds. Returns the ns per message of every round.
 */
async function runSdkCpu({ sizes, messages, warmup, rounds, batch = 10_000, sides = ['ours', 'plain'] }) {
  const results = [];
  for (const size of sizes) {
    const payload = payloadJson(size);
    const all = [await ourSide(), plainSide()];
    const active = all.filter((side) => sides.includes(side.name));
    for (const side of active) await timeSide(side, payload, warmup, batch);
    const samples = Object.fromEntries(active.map((side) => [side.name, []]));
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? active : [...active].reverse();
      for (const side of order) samples[side.name].push(await timeSide(side, payload, messages, batch));
    }
    all[0].client.close();
    results.push({
      size: payload.length,
      frameBytes: eventFrame(payload, messages).length,
      samples,
    });
  }
  return { results, crossOriginIsolated: globalThis.crossOriginIsolated === true };
}

window.runSdkCpu = runSdkCpu;
window.sdkCpuReady = init().then(() => true);
