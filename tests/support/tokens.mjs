// HS256 channel tokens minted with node:crypto: an implementation independent of the Worker's
// Rust verifier, so the tests check it against the standard rather than against itself.
import { createHmac } from 'node:crypto';

const base64url = (value) => Buffer.from(value).toString('base64url');

/**
 * Signs `claims` with `secret`. `exp` defaults to an hour from now; `header` and `signWith`
 * let a test forge what a careless verifier would accept.
 */
export function mintToken(secret, claims, { header = { alg: 'HS256', typ: 'JWT' }, signWith = secret } = {}) {
  const body = { exp: Math.floor(Date.now() / 1000) + 3600, ...claims };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(body))}`;
  const signature = createHmac('sha256', signWith).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}
