// End-to-end tests of secret rotation (docs/deploy.md): while `BROADCAST_SECRET_PREVIOUS` and
// `BROADCAST_JWT_SECRET_PREVIOUS` are set, the Worker accepts both the current and the previous
// broadcast secret and tokens signed with either; anything else is still refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { uniqueNames, withWorker } from './support/suite.mjs';
import { mintToken } from './support/tokens.mjs';
import { refusedUpgrade, TestSocket } from './support/ws-client.mjs';

const PREVIOUS_SECRET = 'previous-broadcast-secret';
const PREVIOUS_JWT_SECRET = 'previous-jwt-secret';

let server;
withWorker((started) => (server = started), {
  vars: { BROADCAST_SECRET_PREVIOUS: PREVIOUS_SECRET, BROADCAST_JWT_SECRET_PREVIOUS: PREVIOUS_JWT_SECRET },
});

const uniqueChannel = uniqueNames('rotation');

test('broadcasts with the current or the previous secret are accepted, others refused', async () => {
  const channel = uniqueChannel();
  const socket = await TestSocket.connect(server.channelUrl(channel));
  assert.equal((await server.broadcast({ channels: [channel], event: 'current' })).status, 200);
  assert.equal((await server.broadcast({ channels: [channel], event: 'previous' }, { secret: PREVIOUS_SECRET })).status, 200);
  for (const secret of ['some-other-secret', `${PREVIOUS_SECRET}x`, '']) {
    assert.equal((await server.broadcast({ channels: [channel], event: 'refused' }, { secret })).status, 401, secret);
  }
  assert.equal((await socket.next((frame) => frame.type === 'event')).event, 'current');
  assert.equal((await socket.next((frame) => frame.type === 'event')).event, 'previous');
  socket.close();
});

test('tokens signed with the current or the previous secret join; others and expired ones do not', async () => {
  const channel = uniqueChannel('private-');
  const current = await TestSocket.connect(server.userUrl(channel, { sub: 'ada' }));
  const previous = await TestSocket.connect(server.channelUrl(channel, mintToken(PREVIOUS_JWT_SECRET, { sub: 'bob' })));
  current.close();
  previous.close();

  const forged = await refusedUpgrade(server.channelUrl(channel, mintToken('another-secret', { sub: 'eve' })));
  assert.equal(forged.status, 401);
  assert.equal(forged.body.error, 'unauthorized');
  const expired = mintToken(PREVIOUS_JWT_SECRET, { sub: 'bob', exp: Math.floor(Date.now() / 1000) - 3600 });
  const refused = await refusedUpgrade(server.channelUrl(channel, expired));
  assert.equal(refused.status, 401);
  assert.equal(refused.body.error, 'token_expired', 'the previous secret signed it, so it is reported as expired');
});
