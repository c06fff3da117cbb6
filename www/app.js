// The demo: one channel's live broadcasts and whispers, through the Rust/WebAssembly SDK.
import init, { createBroadcastClient } from './pkg/broadcast_client.js';

await init();

const $ = (id) => document.getElementById(id);
let client = null;

function show(kind, meta, data) {
  const item = document.createElement('li');
  const label = document.createElement('span');
  label.className = 'meta';
  label.textContent = `${kind} ${meta.event}${meta.from ? ` from ${meta.from.slice(0, 8)}` : ''}`;
  item.append(label, JSON.stringify(data));
  $('messages').prepend(item);
}

function join(channel) {
  client?.free();
  $('messages').replaceChildren();
  client = createBroadcastClient(`/ws/channel/${encodeURIComponent(channel)}`);
  client.onStateChange(({ state, reason, attempt, delay }) => {
    $('state').textContent =
      state === 'reconnecting' ? `${state}: retry ${attempt} in ${delay} ms (${reason})` : state;
    $('state').dataset.state = state;
    $('socket').textContent = state === 'open' ? `socket ${client.socketId}` : '';
  });
  client.onAny((data, meta) => show('event', meta, data));
  client.listenForWhisper('message', (data, meta) => show('whisper', meta, data));
  client.onError(({ code, message }) => show('error', { event: String(code) }, message));
  $('curl').textContent =
    `curl -X POST ${location.origin}/broadcast \\\n  -H 'Authorization: Bearer dev-broadcast-secret' \\\n` +
    `  -d '{"channels":["${channel}"],"event":"headline","data":{"text":"hello"}}'`;
}

$('join').addEventListener('submit', (event) => {
  event.preventDefault();
  join($('channel').value);
});

$('whisper').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('whisper-text').value;
  try {
    client.whisper(client.channel ?? $('channel').value, 'message', { text });
    show('you whispered', { event: 'message' }, { text });
    $('whisper-text').value = '';
  } catch (err) {
    show('error', { event: 'whisper' }, err.message);
  }
});

join($('channel').value);
