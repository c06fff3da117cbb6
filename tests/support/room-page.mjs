// The demo page (www/) as a user drives it: one browser context per user, signed in under a
// name through the page's own form, in one room.

/** How long a page may take to show what the test waits for. */
export const PAGE_TIMEOUT_MS = 20_000;

export class RoomPage {
  /** Opens the demo in a new context of `browser`, signs in as `name` and joins `room`. */
  static async join(browser, { url, name, room, errors, viewport = { width: 1100, height: 760 } }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    errors?.watch(page, name);
    await page.goto(url);
    // The page enables Join once the SDK has loaded.
    await page.waitForSelector('#join:not([disabled])', { timeout: PAGE_TIMEOUT_MS });
    await page.fill('#name', name);
    await page.fill('#room', room);
    await page.click('#join');
    const roomPage = new RoomPage(name, context, page);
    try {
      await roomPage.waitForState('open');
    } catch (err) {
      const shown = await page.evaluate(() => ({
        connection: document.querySelector('#connection')?.textContent,
        signIn: document.querySelector('#sign-in-error')?.textContent,
        form: [...document.querySelectorAll('#sign-in-form input')].map((input) => `${input.id}=${input.value} ${input.validationMessage}`),
      }));
      const logged = errors?.unexpected().join('\n') ?? '';
      throw new Error(`${name} never connected (${JSON.stringify(shown)}): ${err.message}\n${logged}`);
    }
    return roomPage;
  }

  constructor(name, context, page) {
    this.name = name;
    this.context = context;
    this.page = page;
  }

  /** Waits until the connection badge shows `state` (`open`, `reconnecting`, ...). */
  waitForState(state) {
    return this.page.waitForSelector(`#connection[data-state="${state}"]`, { timeout: PAGE_TIMEOUT_MS });
  }

  connectionText() {
    return this.page.textContent('#connection');
  }

  /** Types `text` into the composer key by key (as a person would, so typing whispers go out). */
  type(text) {
    return this.page.type('#text', text);
  }

  clearComposer() {
    return this.page.fill('#text', '');
  }

  /** Types and sends `text`. */
  async send(text) {
    await this.page.fill('#text', text);
    await this.page.press('#text', 'Enter');
  }

  /** The texts of the chat messages shown, in order. */
  messages() {
    return this.page.locator('#messages .message .text').allTextContents();
  }

  /** Waits until `predicate(arg)`, run in the page, holds. */
  #until(predicate, arg) {
    return this.page.waitForFunction(predicate, arg, { timeout: PAGE_TIMEOUT_MS });
  }

  /** Waits until a message with exactly `text` is shown. */
  waitForMessage(text) {
    return this.#until(
      (wanted) => [...document.querySelectorAll('#messages .message .text')].some((node) => node.textContent === wanted),
      text,
    );
  }

  /** The delivery status of this page's own message `text` (`sending`, `waiting`, `sent`, ...). */
  statusOf(text) {
    return this.page.evaluate((wanted) => {
      const entry = [...document.querySelectorAll('#messages .message')].find((node) => node.querySelector('.text').textContent === wanted);
      return entry?.dataset.status;
    }, text);
  }

  /** Waits until this page's own message `text` has `status`. */
  async waitForStatus(text, status) {
    try {
      await this.#until(
        ([wanted, expected]) => [...document.querySelectorAll('#messages .message')]
          .some((node) => node.querySelector('.text').textContent === wanted && node.dataset.status === expected),
        [text, status],
      );
    } catch (err) {
      throw new Error(`"${text}" never became ${status}: it is ${await this.statusOf(text)} (${err.message})`);
    }
  }

  /** Waits until the member list holds exactly `names` (in any order). */
  waitForMembers(names) {
    return this.#until(
      (wanted) => {
        const shown = [...document.querySelectorAll('#members .name')].map((node) => node.textContent).sort();
        return JSON.stringify(shown) === JSON.stringify([...wanted].sort()) && document.querySelector('#member-count').textContent === String(wanted.length);
      },
      names,
    );
  }

  /** Waits until the typing line reads `text` ('' when nobody types). */
  waitForTyping(text) {
    return this.#until((wanted) => document.querySelector('#typing').textContent === wanted, text);
  }

  /** Waits until a room notice (`Ada joined`, `Bob left`) with exactly `text` is shown. */
  waitForNotice(text) {
    return this.#until(
      (wanted) => [...document.querySelectorAll('#messages .notice')].some((node) => node.textContent === wanted),
      text,
    );
  }

  screenshot(path) {
    return this.page.screenshot({ path });
  }

  /** Closes the page as a user closing the tab would. */
  close() {
    return this.context.close();
  }
}
