// End-to-end tests of the development sign-in endpoint the demo page uses (`POST /dev/token`):
// its token joins a room with the name as member info, and it refuses bad names and wrong
// methods. Production builds do not contain it (tests/deploy.test.mjs checks the bundle).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { uniqueNames, withWorker } from './support/suite.mjs';
import { startWorker } from './support/worker-server.mjs';
import { refusedUpgrade, TestSocket } from './support/ws-client.mjs';

let server;
withWorker((started) => (server = started));

const uniqueRoom = uniqueNames('room');

/** POSTs `body` to /dev/token on `target` and returns the status and JSON body. */
async function requestToken(body, target = server) {
  const response = await fetch(`${target.url}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

test('a development token joins a presence room, and the name is the member info', async () => {
  const { status, body } = await requestToken({ name: '  Ada Lovelace ' });
  assert.equal(status, 200);
  assert.equal(body.user.name, 'Ada Lovelace');
  assert.match(body.user.id, /^[0-9a-f]{16}$/);
  assert.equal(body.expires_in, 900);
  const channel = `presence-${uniqueRoom()}`;
  const socket = await TestSocket.connect(server.channelUrl(channel, body.token));
  const here = await socket.next((frame) => frame.type === 'presence:here');
  assert.deepEqual(here.members, [{ id: body.user.id, info: { name: 'Ada Lovelace' } }]);
  socket.close();
});

test('the same name in another case is the same user; another name is another user', async () => {
  const ada = await requestToken({ name: 'ada lovelace' });
  const again = await requestToken({ name: 'ADA LOVELACE' });
  const bob = await requestToken({ name: 'Bob' });
  assert.equal(ada.body.user.id, again.body.user.id);
  assert.notEqual(ada.body.user.id, bob.body.user.id);
});

test('the token opens rooms and its own user channel, not other channels', async () => {
  const { body } = await requestToken({ name: 'Cy' });
  const own = await TestSocket.connect(server.channelUrl(`private-user.${body.user.id}`, body.token));
  own.close();
  for (const channel of ['private-user.someone-else', 'private-admin']) {
    const refused = await refusedUpgrade(server.channelUrl(channel, body.token));
    assert.equal(refused.status, 403, channel);
  }
});

test('bad names and bodies get 400 with a reason, other methods 405', async () => {
  for (const body of [{ name: '' }, { name: '   ' }, { name: 'x'.repeat(33) }, { name: 'a\u0000b' }, {}, 'not json']) {
    const { status, body: answer } = await requestToken(body);
    assert.equal(status, 400, JSON.stringify(body));
    assert.equal(answer.error, 'malformed_frame');
    assert.ok(answer.message.length > 0);
  }
  assert.equal((await requestToken({ name: 'x'.repeat(32) })).status, 200, '32 characters are allowed');
  const get = await fetch(`${server.url}/dev/token`);
  assert.equal(get.status, 405);
});

test('without BROADCAST_DEV_ENDPOINTS=1 the endpoint does not exist', async (t) => {
  const plain = await startWorker({ devEndpoints: false });
  t.after(() => plain.dispose());
  const { status, body } = await requestToken({ name: 'Ada' }, plain);
  assert.equal(status, 404);
  assert.equal(body.error, 'not_found');
});
