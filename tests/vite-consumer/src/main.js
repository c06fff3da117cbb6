// An application using the published SDK as any Vite user would: a bare import of the package,
// whose .wasm Vite must find through `new URL(..., import.meta.url)` and emit as an asset.
// The channel's WebSocket URL comes in the query string (`?ws=ws://...`); the page reports the
// client's state in `body[data-state]` and the first `hello` event's data in `#received`.
import init, { createBroadcastClient } from 'broadcast-client';

const url = new URLSearchParams(location.search).get('ws');
if (!url) throw new Error('pass the channel URL as ?ws=');

await init();

const client = createBroadcastClient(() => url);
client.onStateChange(({ state }) => {
  document.body.dataset.state = state;
  document.getElementById('state').textContent = state;
});
client.onError(({ code, message }) => console.error(`broadcast error ${code}: ${message}`));
client.once('hello', (data) => {
  const received = document.getElementById('received');
  received.textContent = JSON.stringify(data);
  received.dataset.received = 'true';
});
