import t from 'tap';
import { buildTestApp } from '../app.test-support.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';
import { NEW_PASSWORD } from './password-reset.harness.test-support.js';
import { revokeSessionsStartedBefore, setPasswordEffect } from './set-password.effect.js';

const meta = { sagaId: 'reset', effectId: 'p1' };

t.test('setPassword after a crash between storing the hash and revoking: old sessions end, new ones stay', async (t) => {
  const app = await buildTestApp(t);
  const user = await createTestUser(app);
  const old = await loginAs(app, user);
  const resetId = '0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a';
  const hash = await createPasswordHasher({ memoryCost: 1_024, timeCost: 1, parallelism: 1 }).hash(NEW_PASSWORD);
  const effect = setPasswordEffect({ users: app.users.repository, revokeSessions: revokeSessionsStartedBefore(app.auth.sessions), clock: Date.now });
  const me = (headers: { authorization: string }) => app.inject({ method: 'GET', url: '/v1/me', headers });

  // The first run stored the hash and then the process died (no revocation yet).
  const first = await app.users.repository.setPasswordHash(user.id, hash, resetId, new Date());
  t.ok(first);
  const signedInWithNew = await loginAs(app, { ...user, password: NEW_PASSWORD });

  const again = await effect({ resetId, userId: user.id, passwordHash: hash }, meta);
  t.same(again, { type: 'PASSWORD_CHANGED', changedAt: first!.changedAt.getTime() }, 'the repeat answers the first change');
  t.equal((await me(old.headers)).statusCode, 401, 'the session from before the change ended');
  t.equal((await me(signedInWithNew.headers)).statusCode, 200, 'the session signed in with the new password stays');

  await effect({ resetId, userId: user.id, passwordHash: hash }, meta);
  t.equal((await me(signedInWithNew.headers)).statusCode, 200, 'and stays on every further repeat');
  t.same(await effect({ resetId, userId: '00000000-0000-4000-8000-000000000000', passwordHash: hash }, meta), { type: 'USER_GONE' });
});
