import t from 'tap';
import { parseCachedAccess, sessionIdOf } from './token.cache.js';

const base64url = (text: string): string => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims: object): string => `e30.${base64url(JSON.stringify(claims))}.sig`;

t.test('sessionIdOf reads the sid claim of a JWT, null for anything else', async (t) => {
  t.equal(sessionIdOf(jwt({ sub: 'u1', sid: 's-1' })), 's-1');
  const odd = jwt({ sub: 'u1', sid: '??>>~~' });
  t.match(odd.split('.')[1], /[-_]/, 'the payload needs the base64url alphabet');
  t.equal(sessionIdOf(odd), '??>>~~', 'and decodes');
  t.equal(sessionIdOf(jwt({ sub: 'u1' })), null);
  t.equal(sessionIdOf('not a token'), null);
  t.equal(sessionIdOf(''), null);
});

t.test('parseCachedAccess accepts the stored shape only', async (t) => {
  const good = { token: 'a.b.c', expiresAt: 2, refreshAt: 1, sessionId: 's' };
  t.same(parseCachedAccess(JSON.stringify(good)), good);
  t.equal(parseCachedAccess(null), null);
  t.equal(parseCachedAccess('{'), null);
  t.equal(parseCachedAccess(JSON.stringify({ ...good, expiresAt: '2' })), null);
  t.equal(parseCachedAccess(JSON.stringify({ token: 'a.b.c' })), null);
});
