// The runtime's floor: a minimal JavaScript Durable Object doing the same job as ChannelDO's
// hot path (hibernation API, one getWebSockets() loop sending one string), for `npm run bench`.
// With the variable FLOOR_HISTORY set it also stores every broadcast in a SQLite table, as
// ChannelDO does for recovery: the bench's second floor for the per-request cost.
import { DurableObject } from 'cloudflare:workers';

export class FloorDO extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
    this.history = env.FLOOR_HISTORY === '1';
    if (this.history) {
      ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS history (seq INTEGER PRIMARY KEY, frame TEXT NOT NULL, at REAL NOT NULL)');
      this.last = ctx.storage.sql.exec('SELECT MAX(seq) AS seq FROM history').one().seq ?? 0;
    }
  }

  async fetch(request) {
    if (request.method === 'POST') {
      const { channel, event, data, except } = await request.json();
      const frame = JSON.stringify({ type: 'event', channel, event, data });
      if (this.history) {
        this.last += 1;
        this.ctx.storage.sql.exec('INSERT INTO history (seq, frame, at) VALUES (?, ?, ?)', this.last, frame, Date.now());
      }
      let delivered = 0;
      for (const ws of this.ctx.getWebSockets()) {
        if (except && this.ctx.getTags(ws)[0] === except) continue;
        ws.send(frame);
        delivered += 1;
      }
      return Response.json({ delivered });
    }
    const pair = new WebSocketPair();
    const id = crypto.randomUUID();
    this.ctx.acceptWebSocket(pair[1], [id]);
    pair[1].send(JSON.stringify({ type: 'welcome', socket_id: id }));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  webSocketMessage(ws, message) {
    // Whisper: relay to everyone else.
    for (const other of this.ctx.getWebSockets()) if (other !== ws) other.send(message);
  }

  webSocketClose(ws, code) {
    ws.close(code === 1005 || code === 1006 ? 1000 : code);
  }
}

export default {
  async fetch(request, env) {
    const stubOf = (channel) => env.FLOOR.get(env.FLOOR.idFromName(channel));
    if (request.method === 'POST') {
      const body = await request.json();
      const response = await stubOf(body.channels[0]).fetch('https://floor.internal/broadcast', {
        method: 'POST',
        body: JSON.stringify({ ...body, channel: body.channels[0] }),
      });
      const { delivered } = await response.json();
      return Response.json({ delivered: { [body.channels[0]]: delivered } });
    }
    return stubOf(new URL(request.url).pathname.split('/').pop()).fetch(request);
  },
};
