// The message list: one entry per message key (`client_id`, else the server's id), so a
// message the page already shows (its own, or one replayed after a reconnect) is not shown twice.
import { clock, h } from './dom.js';

const STATUS_TEXT = {
  sending: 'sending…',
  waiting: 'waiting for the connection…',
  failed: 'not sent',
};

export class ChatView {
  #list;
  #entries = new Map();

  constructor(list) {
    this.#list = list;
    list.replaceChildren();
  }

  /** Shows `{ key, author, text, at, mine, status }` unless `key` is shown already. */
  message({ key, author, text, at, mine, status = 'sent' }) {
    if (this.#entries.has(key)) return;
    const entry = h('li', { class: mine ? 'message mine' : 'message', dataset: { key } },
      h('div', { class: 'byline' },
        h('strong', { class: 'author' }, mine ? 'You' : author),
        h('time', {}, clock(at))),
      h('p', { class: 'text' }, text),
      h('span', { class: 'status' }));
    this.#entries.set(key, entry);
    this.#append(entry);
    this.status(key, status);
  }

  /** Marks message `key` as `sending`, `waiting`, `sent` or `failed` (with `detail`). */
  status(key, status, detail) {
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.dataset.status = status;
    const text = STATUS_TEXT[status] ?? '';
    entry.querySelector('.status').textContent = detail ? `${text}: ${detail}` : text;
  }

  /** A line from the room itself: joins, leaves, problems. */
  notice(text, kind = 'notice') {
    this.#append(h('li', { class: `notice ${kind}` }, text));
  }

  #append(entry) {
    const list = this.#list;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(entry);
    if (atBottom) list.scrollTop = list.scrollHeight;
  }
}
