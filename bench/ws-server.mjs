// The limit without any runtime in between: a bare Node `ws` server with the same job as the
// channel objects (POST /broadcast fans one string out to every socket; whispers are relayed).
// Run by `npm run bench` as its own process, so its CPU time is measured alone.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({ noServer: true });
let nextId = 0;

const server = createServer(async (request, response) => {
  let body = '';
  for await (const chunk of request) body += chunk;
  const { channels, event, data } = JSON.parse(body);
  const frame = JSON.stringify({ type: 'event', channel: channels[0], event, data });
  let delivered = 0;
  for (const client of wss.clients) {
    client.send(frame);
    delivered += 1;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ delivered: { [channels[0]]: delivered } }));
});

server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    nextId += 1;
    ws.send(JSON.stringify({ type: 'welcome', socket_id: String(nextId) }));
    ws.on('message', (message) => {
      for (const client of wss.clients) if (client !== ws) client.send(message.toString());
    });
  });
});

server.listen(port, '127.0.0.1', () => console.log(`Ready on http://127.0.0.1:${server.address().port}`));
