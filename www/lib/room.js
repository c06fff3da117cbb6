// One chat room: the presence channel `presence-room.{room}` through the SDK (members, the
// room's messages, typing whispers) and the room API for sending, which broadcasts to every
// other socket of the room (the sender's own socket is left out: this page shows its message
// as soon as it is typed).
import { createBroadcastClient } from '../pkg/broadcast_client.js';
import { ChatView } from './chat-view.js';
import { showConnection } from './connection-badge.js';
import { nameOf, showMembers } from './members-view.js';
import { Outbox } from './outbox.js';
import { Typing } from './typing.js';

/** Past messages shown on joining (the server keeps them for ten minutes). */
const HISTORY = 50;

/**
 * Joins `room` as the `session`'s user and wires it to the page's `elements`. Returns
 * `{ leave() }`, which closes the connection and stops everything it started.
 */
export function joinRoom({ session, room, elements }) {
  const channel = `presence-room.${room}`;
  const me = session.user;
  const names = new Map([[me.id, me.name]]);
  const chat = new ChatView(elements.messages);

  // Called before every connection attempt, so a reconnect always carries a valid token.
  const channelUrl = async () =>
    `/ws/channel/${channel}?token=${encodeURIComponent(await session.token())}`;
  const client = createBroadcastClient(channelUrl, { history: HISTORY, maxDelay: 5000 });
  const stopBadge = showConnection(elements.connection, client);
  const typing = new Typing({
    client,
    channel,
    element: elements.typing,
    nameOf: (id) => names.get(id) ?? 'Someone',
  });

  const members = () => {
    for (const member of client.members) names.set(member.id, nameOf(member));
    showMembers({ list: elements.members, count: elements.count }, client.members, me.id);
  };
  client.onHere(members);
  client.onJoin((member) => {
    members();
    chat.notice(`${nameOf(member)} joined`);
  });
  client.onLeave((member) => {
    members();
    typing.clear(member.id);
    chat.notice(`${nameOf(member)} left`);
  });

  client.on('message.posted', (message) => {
    const author = typeof message.user_info?.name === 'string' ? message.user_info.name : names.get(message.user_id);
    typing.clear(message.user_id);
    chat.message({
      key: message.client_id ?? message.id,
      author: author ?? message.user_id,
      text: message.text,
      at: message.sent_at,
      mine: message.user_id === me.id,
    });
  });
  client.onRecoveryFailed(() => chat.notice('Some messages sent while you were away could not be replayed.', 'warning'));
  client.onError(({ message }) => chat.notice(message, 'warning'));

  const outbox = new Outbox({
    post: (message) => postToRoom(room, session, client, message),
    onUpdate: (message, status, detail) => chat.status(message.clientId, status, detail),
  });
  const flushWhenOpen = client.onStateChange(({ state }) => {
    if (state === 'open') outbox.flush();
  });

  const send = (event) => {
    event.preventDefault();
    const text = elements.text.value.trim();
    if (!text) return;
    const clientId = `${me.id}.${crypto.randomUUID()}`;
    chat.message({ key: clientId, text, at: Date.now(), mine: true, status: 'sending' });
    outbox.add({ clientId, text });
    typing.stopped();
    elements.text.value = '';
  };
  const typed = () => typing.typed(elements.text.value.trim() !== '');
  elements.composer.addEventListener('submit', send);
  elements.text.addEventListener('input', typed);

  return {
    leave() {
      elements.composer.removeEventListener('submit', send);
      elements.text.removeEventListener('input', typed);
      flushWhenOpen();
      outbox.dispose();
      typing.dispose();
      stopBadge();
      client.close();
    },
  };
}

/** Give up on a request after this long and try again: a hung request must not hold up the rest. */
const POST_TIMEOUT_MS = 8000;

/** POSTs one message to the room API; `{ retry: true }` when the server cannot take it now. */
async function postToRoom(room, session, client, { clientId, text }) {
  let response;
  try {
    const headers = {
      authorization: `Bearer ${await session.token()}`,
      'content-type': 'application/json',
    };
    // The broadcast leaves this socket out: the page shows the message already.
    if (client.state === 'open' && client.socketId) headers['x-socket-id'] = client.socketId;
    response = await fetch(`/api/rooms/${encodeURIComponent(room)}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text, client_id: clientId }),
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
  } catch {
    return { retry: true };
  }
  if (response.ok) return { sent: true };
  if (response.status === 401) {
    session.expire();
    return { retry: true };
  }
  if (response.status >= 500) return { retry: true };
  const body = await response.json().catch(() => ({}));
  return { error: body.message ?? `refused with ${response.status}` };
}
