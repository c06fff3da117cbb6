// A WebSocket test client (the `ws` package) that records frames and lets a test await them.
import WebSocket from 'ws';

const DEFAULT_TIMEOUT_MS = 10_000;

export class TestSocket {
  frames = [];
  #waiters = [];
  closed = null;

  constructor(url) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data, isBinary) => {
      const frame = isBinary ? { binary: data } : JSON.parse(data.toString());
      this.frames.push(frame);
      this.#wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
    this.ws.on('error', () => {});
  }

  /** Opens a socket and waits for the server's welcome. */
  static async connect(url) {
    const socket = new TestSocket(url);
    const welcome = await socket.next((frame) => frame.type === 'welcome');
    socket.id = welcome.socket_id;
    return socket;
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
    this.ws.close();
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
export function connectMany(url, count) {
  return Promise.all(Array.from({ length: count }, () => TestSocket.connect(url)));
}

/** Attempts a WebSocket upgrade that the server should refuse; resolves with its status and JSON body. */
export function refusedUpgrade(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      reject(new Error(`the upgrade to ${url} was accepted`));
    });
    ws.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(body) }));
    });
    ws.on('error', () => {});
  });
}
