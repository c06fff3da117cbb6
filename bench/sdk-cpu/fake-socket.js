// A stand-in for the browser's WebSocket, installed as globalThis.WebSocket before the client
// is created, so the page can hand frames straight to the socket's `onmessage` without a
// network, a server or an event loop turn between them.

const PING = '{"type":"ping"}';
const PONG = '{"type":"pong"}';

export class FakeWebSocket extends EventTarget {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  /** Called with every socket constructed, as the SDK opens them. */
  static onCreate = () => {};

  constructor(url) {
    super();
    this.url = url;
    this.readyState = FakeWebSocket.CONNECTING;
    this.binaryType = 'blob';
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
    /** Frames the client sent, other than heartbeats. */
    this.sent = [];
    FakeWebSocket.onCreate(this);
  }

  send(text) {
    if (this.readyState !== FakeWebSocket.OPEN) {
      throw new DOMException('WebSocket is not open', 'InvalidStateError');
    }
    // Answer heartbeats the way the runtime's auto-response does, a turn later.
    if (text === PING) queueMicrotask(() => this.deliver(PONG));
    else this.sent.push(text);
  }

  close(code = 1000, reason = '') {
    if (this.readyState >= FakeWebSocket.CLOSING) return;
    this.readyState = FakeWebSocket.CLOSED;
    queueMicrotask(() => this.onclose?.(new CloseEvent('close', { code, reason, wasClean: true })));
  }

  /** The handshake completed. */
  open() {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.(new Event('open'));
  }

  /** One text frame from the server. */
  deliver(data) {
    if (this.readyState === FakeWebSocket.OPEN) this.onmessage?.(new MessageEvent('message', { data }));
  }
}
