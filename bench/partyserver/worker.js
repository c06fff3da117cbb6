// PartyKit's partyserver doing the same job, as the peer users pick: hibernation on, broadcast
// with its own `broadcast` (excluding one connection for whispers). For `npm run bench`.
import { Server, getServerByName, routePartykitRequest } from 'partyserver';

export class Room extends Server {
  static options = { hibernate: true };

  onConnect(connection) {
    connection.send(JSON.stringify({ type: 'welcome', socket_id: connection.id }));
  }

  onMessage(connection, message) {
    this.broadcast(message, [connection.id]);
  }

  async onRequest(request) {
    const { channels, event, data } = await request.json();
    this.broadcast(JSON.stringify({ type: 'event', channel: channels[0], event, data }));
    let delivered = 0;
    for (const _ of this.getConnections()) delivered += 1;
    return Response.json({ delivered });
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/broadcast') {
      const body = await request.text();
      const channel = JSON.parse(body).channels[0];
      const stub = await getServerByName(env.Room, channel);
      const response = await stub.fetch(new Request(`https://party.internal/parties/room/${channel}`, { method: 'POST', body }));
      const { delivered } = await response.json();
      return Response.json({ delivered: { [channel]: delivered } });
    }
    return (await routePartykitRequest(request, env)) ?? new Response('not found', { status: 404 });
  },
};
