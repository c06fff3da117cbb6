// Chat messages on their way to the room API: sent one at a time in order, kept while the
// server cannot take them, and sent again when the connection is back (or a few seconds
// later), so nothing typed is lost to a restart. The room API may see a message twice after
// a lost response; its `client_id` lets every page show it once.

/** Wait before trying again when nothing else (a reconnect) triggers it. */
const RETRY_MS = 3000;

export class Outbox {
  #queue = [];
  #busy = false;
  #retry = null;
  #post;
  #onUpdate;

  /**
   * `post(message)` resolves `{ sent: true }`, `{ retry: true }` or `{ error }`;
   * `onUpdate(message, status, detail)` hears `sending`, `waiting`, `sent` and `failed`.
   */
  constructor({ post, onUpdate }) {
    this.#post = post;
    this.#onUpdate = onUpdate;
  }

  /** Queues `{ clientId, text }` and sends it as soon as the ones before it are through. */
  add(message) {
    this.#queue.push(message);
    this.flush();
  }

  /** Sends what is queued, in order, stopping at the first message the server cannot take yet. */
  async flush() {
    if (this.#busy) return;
    this.#busy = true;
    clearTimeout(this.#retry);
    try {
      while (this.#queue.length > 0) {
        const message = this.#queue[0];
        this.#onUpdate(message, 'sending');
        const outcome = await this.#post(message);
        if (outcome.retry) {
          // The ones behind it wait too: they go out in order, after it.
          for (const waiting of this.#queue) this.#onUpdate(waiting, 'waiting');
          this.#retry = setTimeout(() => this.flush(), RETRY_MS);
          return;
        }
        this.#queue.shift();
        this.#onUpdate(message, outcome.sent ? 'sent' : 'failed', outcome.error);
      }
    } finally {
      this.#busy = false;
    }
  }

  /** Stops retrying; what is still queued is dropped with the page's room. */
  dispose() {
    clearTimeout(this.#retry);
    this.#queue = [];
  }
}
