// The demo page (www/) in headless Chromium against the real Worker: users in separate browser
// contexts see each other join and leave, chat (every message once everywhere, the sender's
// included), typing indicators come and go, and a server restart shows "reconnecting" and
// then recovers without losing a chat message. Any console error fails the test, except the
// browser's own network errors while the server is down on purpose. Screenshots go to
// test-results/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { root } from '../scripts/lib/paths.mjs';
import { ConsoleErrors, launchChromium } from './support/chromium.mjs';
import { RoomPage } from './support/room-page.mjs';
import { uniqueNames, withWorker } from './support/suite.mjs';

const SCREENSHOTS = join(root, 'test-results');

let server;
let browser;
withWorker((started) => (server = started));
before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
});
after(() => browser?.close());

const uniqueRoom = uniqueNames('page');
const screenshot = (page, name) => page.screenshot(join(SCREENSHOTS, `${name}.png`));

/** Signs in `names` one after another into `room`, each a separate browser context. */
async function joinAll(names, room, errors, options = {}) {
  const pages = [];
  for (const name of names) pages.push(await RoomPage.join(browser, { url: server.url, name, room, errors, ...options }));
  return pages;
}

/** Asserts that every page shows exactly `texts`, in this order, each once. */
async function assertConversation(pages, texts) {
  for (const page of pages) {
    for (const text of texts) await page.waitForMessage(text);
    assert.deepEqual(await page.messages(), texts, `${page.name}'s page`);
  }
}

test('two users: presence, chat both ways, typing that appears and clears, and leaving', async () => {
  const errors = new ConsoleErrors();
  // The Worker (and its storage) is this file's own: the README's screenshot shows the lobby.
  const room = 'lobby';
  const [ada, bob] = await joinAll(['Ada', 'Bob'], room, errors);
  await ada.waitForMembers(['Ada', 'Bob']);
  await bob.waitForMembers(['Ada', 'Bob']);
  await ada.waitForNotice('Bob joined');

  await bob.type('Hello Ada');
  await ada.waitForTyping('Bob is typing…');
  await bob.clearComposer();
  await ada.waitForTyping('');

  await ada.type('Hi');
  await bob.waitForTyping('Ada is typing…');
  await ada.clearComposer();
  await ada.send('Hi Bob, this room lives on one Durable Object.');
  await bob.waitForTyping('');
  await bob.waitForMessage('Hi Bob, this room lives on one Durable Object.');
  await bob.send('And this page reaches it through Rust compiled to WebAssembly.');
  await assertConversation([ada, bob], [
    'Hi Bob, this room lives on one Durable Object.',
    'And this page reaches it through Rust compiled to WebAssembly.',
  ]);
  await ada.waitForStatus('Hi Bob, this room lives on one Durable Object.', 'sent');

  await server.broadcast({ channels: ['announcements'], event: 'announcement', data: { text: 'Deploy finished' } });
  await ada.page.waitForSelector('#announcements .announcement');
  await bob.type('typing for the screenshot');
  await ada.waitForTyping('Bob is typing…');
  await screenshot(ada, 'room-two-users');

  await bob.close();
  await ada.waitForMembers(['Ada']);
  await ada.waitForNotice('Bob left');
  await ada.waitForTyping('');
  await ada.close();
  assert.deepEqual(errors.unexpected(), []);
});

test('five users: everyone sees everyone, every message arrives once on every page, leaving shows', async () => {
  const errors = new ConsoleErrors();
  const room = uniqueRoom();
  const names = ['Ada', 'Bob', 'Cy', 'Dee', 'Eve'];
  const pages = await joinAll(names, room, errors);
  for (const page of pages) await page.waitForMembers(names);

  const texts = names.map((name) => `${name} says hello`);
  for (const [index, page] of pages.entries()) {
    await page.send(texts[index]);
    // Wait for the others before the next sender, so the order is the same on every page.
    for (const other of pages) await other.waitForMessage(texts[index]);
  }
  await assertConversation(pages, texts);
  for (const page of pages) {
    const own = await page.page.locator('#messages .message.mine .text').allTextContents();
    assert.deepEqual(own, [`${page.name} says hello`], `${page.name} sees its own message as its own, once`);
  }

  await pages[0].type('Everyone');
  for (const page of pages.slice(1)) await page.waitForTyping('Ada is typing…');
  await pages[2].type('Me too');
  for (const page of [pages[1], pages[3], pages[4]]) await page.waitForTyping('Ada and Cy are typing…');
  await pages[0].clearComposer();
  await pages[2].clearComposer();
  for (const page of pages) await page.waitForTyping('');

  await pages[4].close();
  for (const page of pages.slice(0, 4)) {
    await page.waitForMembers(names.slice(0, 4));
    await page.waitForNotice('Eve left');
  }
  const phone = await RoomPage.join(browser, { url: server.url, name: 'Fay', room, errors, viewport: { width: 390, height: 844 } });
  await phone.waitForMembers([...names.slice(0, 4), 'Fay']);
  await assertConversation([phone], texts);
  await screenshot(phone, 'room-phone');
  for (const page of [...pages.slice(0, 4), phone]) await page.close();
  assert.deepEqual(errors.unexpected(), []);
});

test('a server restart shows reconnecting, then recovers with no chat message lost', async () => {
  const errors = new ConsoleErrors();
  const room = uniqueRoom();
  const [ada, bob] = await joinAll(['Ada', 'Bob'], room, errors);
  await ada.send('Before the restart');
  await bob.waitForMessage('Before the restart');

  const downAt = Date.now();
  await server.stop();
  for (const page of [ada, bob]) {
    await page.waitForState('reconnecting');
    assert.match(await page.connectionText(), /^Reconnecting/);
  }
  await screenshot(bob, 'room-reconnecting');
  await ada.send('Sent while the server was down');
  await ada.waitForStatus('Sent while the server was down', 'waiting');

  await server.start();
  for (const page of [ada, bob]) await page.waitForState('open');
  await bob.waitForMessage('Sent while the server was down');
  const upAt = Date.now();
  await bob.send('After the restart');
  await assertConversation([ada, bob], ['Before the restart', 'Sent while the server was down', 'After the restart']);
  await ada.waitForStatus('Sent while the server was down', 'sent');
  await ada.waitForMembers(['Ada', 'Bob']);

  for (const page of [ada, bob]) await page.close();
  // While the server is down, Chromium itself logs each refused WebSocket and request, and a
  // response the kill cut short (net::ERR_INCOMPLETE_CHUNKED_ENCODING, ...).
  const refusedWhileDown = ({ at, text }) =>
    at >= downAt && at <= upAt && /net::ERR_[A-Z_]+|WebSocket connection to .* failed/.test(text);
  assert.deepEqual(errors.unexpected(refusedWhileDown), []);
});
