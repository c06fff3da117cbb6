// The load client of one server, in its own Node process (started by bench/lib/load.mjs): it
// holds that server's sockets and runs what the bench asks for over IPC, timing each round
// itself. One process per server because the bench keeps every server's sockets open at once,
// to interleave its rounds, and four servers at N = 5000 need more sockets than one process may
// open; and so that every server is driven by an identical client that is otherwise idle.
import WebSocket from 'ws';

/**
 * No permessage-deflate: `ws` offers it by default and workerd accepts, so each server would
 * compress every message once per socket while the bare `ws` server (off by default) does not.
 * Measured with compression, the workerd servers cost some 10-15 us more per delivery.
 */
const SOCKET_OPTIONS = { perMessageDeflate: false };

/** How long one socket may take to be welcomed before the whole connect counts as failed. */
const CONNECT_TIMEOUT_MS = 15_000;

/** How long a round may wait for its last delivery. */
const ROUND_TIMEOUT_MS = 30_000;

/** Where and how to POST a broadcast: `{ url, headers }`, given by `setup`. */
let broadcastTarget = null;
/** The channel the sockets joined and the sockets themselves. */
let channel = null;
let sockets = [];
/** What the current round does with each frame a socket receives: `(frame, socket) => void`. */
let onFrame = null;

function postBroadcast(body) {
  return fetch(broadcastTarget.url, { method: 'POST', headers: broadcastTarget.headers, body: JSON.stringify(body) });
}

/** POSTs one broadcast and fails unless the server accepted it. */
async function broadcastAccepted(body) {
  const response = await postBroadcast(body);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`POST /broadcast answered ${response.status}`);
}

/** Opens one socket and resolves once the server's first frame (its welcome) arrived. */
function openSocket(url, index, count) {
  const ws = new WebSocket(url, SOCKET_OPTIONS);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`socket ${index} of ${count} not welcomed within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    ws.once('message', () => {
      clearTimeout(timer);
      // A socket the server drops later must not crash the run; the round that misses it
      // times out and says so.
      ws.on('error', () => {});
      ws.on('message', (frame) => onFrame?.(frame, ws));
      resolve(ws);
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * Waits until `expected` frames containing `marker` arrived on sockets other than `except`,
 * after `send()` started the round; resolves with the milliseconds to the first and the last.
 */
function timedRound(marker, expected, send, except = null) {
  return new Promise((resolve, reject) => {
    let first = null;
    let remaining = expected;
    const timer = setTimeout(() => {
      onFrame = null;
      reject(new Error(`${remaining} of ${expected} sockets never got ${marker}`));
    }, ROUND_TIMEOUT_MS);
    const start = performance.now();
    onFrame = (frame, ws) => {
      if (ws === except || !frame.toString().includes(marker)) return;
      const now = performance.now() - start;
      first ??= now;
      remaining -= 1;
      if (remaining === 0) {
        clearTimeout(timer);
        onFrame = null;
        resolve({ first, last: now });
      }
    };
    send().catch((err) => {
      clearTimeout(timer);
      onFrame = null;
      reject(err);
    });
  });
}

const operations = {
  /** Where broadcasts go: `{ url, headers }`. */
  setup({ target }) {
    broadcastTarget = target;
  },

  /** Opens `count` sockets to `url` (50 at a time); returns the seconds it took. */
  async connect({ url, count, channel: joined }) {
    channel = joined;
    const start = performance.now();
    let opened = 0;
    async function openMore() {
      while (opened < count) {
        opened += 1;
        sockets.push(await openSocket(url, opened, count));
      }
    }
    await Promise.all(Array.from({ length: 50 }, openMore));
    return { seconds: (performance.now() - start) / 1000 };
  },

  /**
   * One broadcast named `marker`: milliseconds from the request to its first and its last
   * delivery, resolved once the server also answered (so no work of this round is left over).
   */
  async broadcast({ marker, data }) {
    let answered;
    const times = await timedRound(marker, sockets.length, () => {
      answered = broadcastAccepted({ channels: [channel], event: marker, data });
      return answered;
    });
    await answered;
    return times;
  },

  /** A whisper from socket `index` (modulo the count): milliseconds to the last other socket. */
  async whisper({ index, marker }) {
    const sender = sockets[index % sockets.length];
    const send = async () => sender.send(JSON.stringify({ type: 'whisper', channel, event: marker, data: 1 }));
    const { last } = await timedRound(marker, sockets.length - 1, send, sender);
    return last;
  },

  /** `count` sequential broadcasts to `emptyChannel` (nobody listens): milliseconds of each. */
  async requests({ emptyChannel, count }) {
    const times = [];
    for (let i = 0; i < count; i += 1) {
      const begin = performance.now();
      await broadcastAccepted({ channels: [emptyChannel], event: 'empty', data: 'x' });
      times.push(performance.now() - begin);
    }
    return times;
  },

  /**
   * Keeps `window` broadcasts in flight for `seconds` (a closed loop: a new one starts when one
   * is answered) and returns the deliveries per second the sockets received.
   */
  async sustained({ window, seconds, data }) {
    let received = 0;
    onFrame = () => {
      received += 1;
    };
    const start = performance.now();
    const deadline = start + seconds * 1000;
    async function loop() {
      while (performance.now() < deadline) await broadcastAccepted({ channels: [channel], event: 'load', data });
    }
    try {
      await Promise.all(Array.from({ length: window }, loop));
    } finally {
      onFrame = null;
    }
    return received / ((performance.now() - start) / 1000);
  },

  /** Drops every socket. */
  close() {
    for (const ws of sockets) ws.terminate();
    sockets = [];
  },
};

process.on('message', async ({ id, op, args }) => {
  try {
    process.send({ id, result: await operations[op](args) });
  } catch (err) {
    // fetch() says only "fetch failed"; its cause says why (a reset, a closed socket).
    const error = err.cause ? `${err.message} (${err.cause.code ?? err.cause.message})` : err.message;
    process.send({ id, error });
  }
});
