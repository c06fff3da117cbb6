// Signing in through the Worker's development endpoint (`POST /dev/token`, present only in
// `npm start` builds). A real application gets the same kind of token from its own backend.

/** Renew a token this long before it expires. */
const RENEW_BEFORE_MS = 60_000;

/** Asks for a token for `name`; throws an Error whose message is for people. */
async function requestToken(name) {
  let response;
  try {
    response = await fetch('/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
  } catch {
    throw new Error('The server cannot be reached.');
  }
  if (response.status === 404) {
    throw new Error('Signing in here needs the development endpoint: run the page with `npm start`.');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `Signing in failed (${response.status}).`);
  return { ...body, expiresAt: Date.now() + body.expires_in * 1000 };
}

/** A signed-in user: `user` is `{ id, name }`; `token()` always answers a usable token. */
export class Session {
  #name;
  #grant;

  constructor(name, grant) {
    this.#name = name;
    this.#grant = grant;
    this.user = grant.user;
  }

  static async start(name) {
    return new Session(name, await requestToken(name));
  }

  /** The current token, renewed first when it is about to expire. */
  async token() {
    if (this.#grant.expiresAt - Date.now() < RENEW_BEFORE_MS) {
      this.#grant = await requestToken(this.#name);
    }
    return this.#grant.token;
  }

  /** Forgets the current token, so the next `token()` asks for a new one (after a 401). */
  expire() {
    this.#grant = { ...this.#grant, expiresAt: 0 };
  }
}
