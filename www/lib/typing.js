// Typing indicators over whispers: this page tells the others while its user types (at most
// every 2 s) and when they stop; it shows who else is typing until they stop, send, leave, or
// go quiet for 4 s. Whispers go only to the other sockets of the room, never through the server's
// application code.

const EVENT = 'typing';
const SEND_EVERY_MS = 2000;
const FORGET_AFTER_MS = 4000;

export class Typing {
  #client;
  #channel;
  #element;
  #nameOf;
  #typers = new Map();
  #sentAt = 0;
  #sweep = null;
  #unsubscribe;

  /** `nameOf(userId)` gives the name to show. */
  constructor({ client, channel, element, nameOf }) {
    this.#client = client;
    this.#channel = channel;
    this.#element = element;
    this.#nameOf = nameOf;
    this.#unsubscribe = client.listenForWhisper(EVENT, (data, meta) => {
      if (!meta.user) return;
      if (data?.typing === true) this.#typers.set(meta.user, Date.now() + FORGET_AFTER_MS);
      else this.#typers.delete(meta.user);
      this.#render();
    });
  }

  /** The composer changed; `hasText` says whether anything is typed. */
  typed(hasText) {
    if (!hasText) {
      this.stopped();
      return;
    }
    if (Date.now() - this.#sentAt < SEND_EVERY_MS) return;
    if (this.#whisper(true)) this.#sentAt = Date.now();
  }

  /** The user sent or cleared the message: the others stop showing them at once. */
  stopped() {
    if (this.#sentAt === 0) return;
    this.#sentAt = 0;
    this.#whisper(false);
  }

  /** Forgets `userId` (their message arrived, or they left). */
  clear(userId) {
    if (this.#typers.delete(userId)) this.#render();
  }

  dispose() {
    clearInterval(this.#sweep);
    this.#unsubscribe();
  }

  /** Whispers only while open: an indicator queued for later would be stale. */
  #whisper(typing) {
    if (this.#client.state !== 'open') return false;
    try {
      this.#client.whisper(this.#channel, EVENT, { typing });
      return true;
    } catch {
      return false;
    }
  }

  #render() {
    const now = Date.now();
    for (const [user, until] of this.#typers) if (until <= now) this.#typers.delete(user);
    const names = [...this.#typers.keys()].map(this.#nameOf);
    this.#element.textContent =
      names.length === 0 ? '' :
      names.length === 1 ? `${names[0]} is typing…` :
      names.length <= 3 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are typing…` :
      `${names.length} people are typing…`;
    if (names.length > 0 && !this.#sweep) this.#sweep = setInterval(() => this.#render(), 500);
    if (names.length === 0 && this.#sweep) {
      clearInterval(this.#sweep);
      this.#sweep = null;
    }
  }
}
