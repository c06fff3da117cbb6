// A scripted stand-in for a channel, for the browser tests whose timing the real Worker cannot
// be made to follow: refusing with a chosen close code, never answering pings, never welcoming.
// It speaks the same frames as ChannelDO and records every connection attempt, so a test can
// check what the SDK did (which URL it used, when it came back, what it sent).
//
// Behaviour is chosen per connection by the URL's query:
//   key    groups the attempts of one test (required)
//   mode   welcome (default: welcome, answer pings) | silent (welcome, never answer pings)
//          | mute (accept the upgrade, then say nothing) | close (close with `code`)
//   code   close code for mode=close
//   after  for mode=close: welcome first and close this many ms later
import { WebSocketServer } from 'ws';

const PING = '{"type":"ping"}';
const PONG = '{"type":"pong"}';

export class FakeChannelServer {
  #wss = new WebSocketServer({ noServer: true });
  /** Attempts by key: `{ url, at, frames }`, `frames` being the text frames received. */
  #attempts = new Map();
  #sockets = new Set();

  /** Takes over an HTTP server's upgrade requests for `path`. */
  attach(server, path) {
    server.on('upgrade', (request, socket, head) => {
      if (!request.url.startsWith(path)) return socket.destroy();
      this.#wss.handleUpgrade(request, socket, head, (ws) => this.#serve(ws, request.url));
    });
  }

  attempts(key) {
    return this.#attempts.get(key) ?? [];
  }

  close() {
    for (const ws of this.#sockets) ws.terminate();
    this.#wss.close();
  }

  #serve(ws, url) {
    const query = new URL(url, 'http://fake').searchParams;
    const key = query.get('key') ?? '';
    const mode = query.get('mode') ?? 'welcome';
    const attempt = { url, at: Date.now(), frames: [] };
    if (!this.#attempts.has(key)) this.#attempts.set(key, []);
    const attempts = this.#attempts.get(key);
    attempts.push(attempt);
    this.#sockets.add(ws);
    ws.on('close', () => this.#sockets.delete(ws));
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      attempt.frames.push(text);
      if (text === PING && mode !== 'silent') ws.send(PONG);
    });

    const code = Number(query.get('code') ?? 1000);
    const after = query.get('after');
    if (mode === 'close' && after === null) return ws.close(code, 'fake server');
    if (mode === 'mute') return;
    const welcome = { type: 'welcome', protocol: 1, socket_id: `fake-${key}-${attempts.length}`, channel: 'fake' };
    ws.send(JSON.stringify(welcome));
    if (mode === 'close') setTimeout(() => ws.close(code, 'fake server'), Number(after));
  }
}
