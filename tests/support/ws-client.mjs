// A WebSocket test client (the `ws` package) that records frames and lets a test await them.
import WebSocket from 'ws';

const DEFAULT_TIMEOUT_MS = 10_000;

const PING = '{"type":"ping"}';

export class TestSocket {
  frames = [];
  #waiters = [];
  #heartbeat = null;
  closed = null;

  /** `headers` go on the upgrade request; `heartbeatMs` pings like the SDK (pongs are not recorded). */
  constructor(url, { headers, heartbeatMs } = {}) {
    this.ws = new WebSocket(url, { headers });
    this.ws.on('message', (data, isBinary) => {
      const frame = isBinary ? { binary: data } : JSON.parse(data.toString());
      if (this.#heartbeat && frame.type === 'pong') return;
      this.frames.push(frame);
      this.#wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.stopHeartbeat();
      this.#wake();
    });
    this.ws.on('error', () => {});
    if (heartbeatMs) {
      this.#heartbeat = setInterval(() => this.ws.readyState === WebSocket.OPEN && this.ws.send(PING), heartbeatMs);
    }
  }

  /** Opens a socket and waits for the server's welcome. */
  static async connect(url, options) {
    const socket = new TestSocket(url, options);
    const welcome = await socket.next((frame) => frame.type === 'welcome');
    socket.id = welcome.socket_id;
    return socket;
  }

  /** Stops pinging: from the server's side, the client went silent. */
  stopHeartbeat() {
    clearInterval(this.#heartbeat);
  }

  /** Resolves with the first recorded frame matching `predicate`, removing it from `frames`. */
  next(predicate = () => true, timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.#until(() => {
      const index = this.frames.findIndex(predicate);
      return index === -1 ? undefined : this.frames.splice(index, 1)[0];
    }, timeoutMs, 'a matching frame');
  }

  /** Resolves with `{ code, reason }` once the server closed the socket. */
  whenClosed(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.#until(() => this.closed ?? undefined, timeoutMs, 'the close');
  }

  send(value) {
    this.ws.send(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value));
  }

  close() {
    this.stopHeartbeat();
    this.ws.close();
  }

  /** Vanishes like a crashed device: no close frame, no more pings, nothing read. */
  vanish() {
    this.stopHeartbeat();
    this.ws.pause();
  }

  #until(check, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const found = check();
        if (found === undefined) return false;
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== attempt);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      if (!attempt()) this.#waiters.push(attempt);
    });
  }

  #wake() {
    this.#waiters = this.#waiters.filter((attempt) => !attempt());
  }
}

/** Opens `count` sockets to `url` and waits until all are welcomed. */
export function connectMany(url, count, options) {
  return Promise.all(Array.from({ length: count }, () => TestSocket.connect(url, options)));
}

/** Attempts a WebSocket upgrade that the server should refuse; resolves with its status, headers and JSON body. */
export function refusedUpgrade(url, { headers } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      reject(new Error(`the upgrade to ${url} was accepted`));
    });
    ws.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: JSON.parse(body) }));
    });
    ws.on('error', () => {});
  });
}
