// End-to-end tests of channel authorization on workerd: private and presence channels need a
// valid token, checked before any upgrade.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mintToken } from './support/tokens.mjs';
import { uniqueNames, withWorker } from './support/suite.mjs';
import { TestSocket, refusedUpgrade } from './support/ws-client.mjs';

let server;
withWorker((started) => (server = started));

const uniqueChannel = uniqueNames('auth');

const now = () => Math.floor(Date.now() / 1000);

async function assertRefused(url, status, error, options) {
  const refused = await refusedUpgrade(url, options);
  assert.equal(refused.status, status, JSON.stringify(refused.body));
  assert.equal(refused.body.error, error);
  assert.ok(refused.body.message.length > 0);
  return refused;
}

describe('private and presence channels', () => {
  for (const prefix of ['private-', 'presence-']) {
    test(`${prefix}: no token gets 401 before any upgrade`, async () => {
      const refused = await assertRefused(server.channelUrl(uniqueChannel(prefix)), 401, 'unauthorized');
      assert.equal(refused.headers['www-authenticate'], 'Bearer');
      assert.match(refused.body.message, /token/);
    });

    test(`${prefix}: forged tokens get 401`, async () => {
      const channel = uniqueChannel(prefix);
      const forgeries = [
        mintToken('not-the-secret', { sub: 'mallory' }),
        server.token({ sub: 'mallory' }, { header: { alg: 'none' } }),
        server.token({ sub: 'mallory' }, { header: { alg: 'HS512' } }),
        'not.a.jwt',
        'garbage',
      ];
      for (const token of forgeries) {
        await assertRefused(server.channelUrl(channel, token), 401, 'unauthorized');
      }
      // A valid token with its claims swapped for someone else's keeps the old signature.
      const [header, , signature] = server.token({ sub: 'ada' }).split('.');
      const claims = Buffer.from(JSON.stringify({ sub: 'root', exp: now() + 3600 })).toString('base64url');
      await assertRefused(server.channelUrl(channel, `${header}.${claims}.${signature}`), 401, 'unauthorized');
    });

    test(`${prefix}: an expired token gets 401 token_expired`, async () => {
      const token = server.token({ sub: 'ada', exp: now() - 120 });
      const refused = await assertRefused(server.channelUrl(uniqueChannel(prefix), token), 401, 'token_expired');
      assert.match(refused.body.message, /expired/);
    });

    test(`${prefix}: a token for other channels gets 403`, async () => {
      const token = server.token({ sub: 'ada', channels: [`${prefix}elsewhere`, `${prefix}rooms.*`] });
      await assertRefused(server.channelUrl(uniqueChannel(prefix), token), 403, 'forbidden');
    });

    test(`${prefix}: a valid token connects, from the query or the Authorization header`, async () => {
      const channel = uniqueChannel(prefix);
      const viaQuery = await TestSocket.connect(server.userUrl(channel, { sub: 'ada', channels: [channel] }));
      const token = server.token({ sub: 'bob', channels: [`${prefix}auth.*`] });
      const viaHeader = await TestSocket.connect(server.channelUrl(channel), {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.ok(viaQuery.id && viaHeader.id);
      const result = await server.broadcast({ channels: [channel], event: 'secret-news' });
      assert.deepEqual(result.body.delivered, { [channel]: 2 });
      viaQuery.close();
      viaHeader.close();
    });
  }

  test('a token that is not yet valid gets 401', async () => {
    const token = server.token({ sub: 'ada', nbf: now() + 600 });
    await assertRefused(server.channelUrl(uniqueChannel('private-'), token), 401, 'unauthorized');
  });

  test('public channels need no token', async () => {
    const socket = await TestSocket.connect(server.channelUrl(uniqueChannel('')));
    socket.close();
  });
});
