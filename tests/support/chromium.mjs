// Headless Chromium for page tests: Debian's /usr/bin/chromium driven by playwright-core (never
// a downloaded browser), kept off the network except loopback, and a record of every console
// error so a test can fail on them.
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Closed network: Chromium must not try to resolve anything but the loopback servers. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

/** Launches headless Chromium. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Collects console errors and uncaught exceptions of the pages it watches, each with the time it
 * happened and the page's label.
 */
export class ConsoleErrors {
  entries = [];

  watch(page, label) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.entries.push({ at: Date.now(), label, text: message.text() });
    });
    page.on('pageerror', (error) => this.entries.push({ at: Date.now(), label, text: `uncaught ${error.stack ?? error.message}` }));
  }

  /** The entries outside the `allowed(entry)` exceptions, as lines for an assertion message. */
  unexpected(allowed = () => false) {
    return this.entries.filter((entry) => !allowed(entry)).map((entry) => `${entry.label}: ${entry.text}`);
  }
}
