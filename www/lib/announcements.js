// The public `announcements` channel: anyone may listen, only the server broadcasts (the
// README's curl example).
import { createBroadcastClient } from '../pkg/broadcast_client.js';
import { showConnection } from './connection-badge.js';
import { h } from './dom.js';

export const ANNOUNCEMENTS_CHANNEL = 'announcements';

/** Most announcements kept on the page. */
const KEEP = 20;

/** Connects to the channel and lists what arrives (with the last 10 from history) in `list`. */
export function showAnnouncements({ list, badge, curl }) {
  curl.textContent =
    `curl -X POST ${location.origin}/broadcast \\\n` +
    `  -H 'Authorization: Bearer dev-broadcast-secret' \\\n` +
    `  -d '{"channels":["${ANNOUNCEMENTS_CHANNEL}"],"event":"announcement","data":{"text":"Hello from the server"}}'`;
  const client = createBroadcastClient(`/ws/channel/${ANNOUNCEMENTS_CHANNEL}`, { history: 10, maxDelay: 5000 });
  showConnection(badge, client);
  client.onAny((data, { event }) => {
    list.querySelector('.empty')?.remove();
    const text = typeof data?.text === 'string' ? data.text : JSON.stringify(data);
    list.prepend(
      h('li', { class: 'announcement' },
        h('span', { class: 'event' }, event), ' ', text),
    );
    while (list.children.length > KEEP) list.lastElementChild.remove();
  });
  return client;
}
