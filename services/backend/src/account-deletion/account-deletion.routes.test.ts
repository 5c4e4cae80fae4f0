import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WS_CLOSE_CODES } from '@ashchat/contracts';
import { authedWs } from '../realtime/ws.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';
import { MARK_USER_EFFECT } from './account-deletion.machine.js';
import { ACCOUNT_DELETIONS_COLLECTION } from './account-deletion.plugin.js';
import { holdEffect, startDeletionApp, waitForCompleted, withToken } from './account-deletion.app.test-support.js';

t.test('DELETE /v1/me: 202 with the deletion; asked again while it runs, the same deletion; then the account is gone', async (t) => {
  const hold = holdEffect(MARK_USER_EFFECT);
  const app = await startDeletionApp(t, { accountDeletion: { effects: hold.effects } });
  // Teardowns run last-in first-out: the effect is released before the app closes, even after a failed assertion.
  t.teardown(() => hold.release());
  const user = await createTestUser(app);
  const call = withToken(app, (await loginAs(app, user)).accessToken);

  const first = await call('DELETE', '/v1/me', { password: user.password });
  t.equal(first.statusCode, 202, first.body);
  const view = first.json<{ deletionId: string; status: string; statusUrl: string }>();
  t.match(view, { status: 'deleting', statusUrl: `/v1/account-deletions/${view.deletionId}` });
  t.match(view.deletionId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.equal(first.headers.location, view.statusUrl);

  await hold.reached;
  const again = await call('DELETE', '/v1/me', { password: user.password });
  t.equal(again.statusCode, 202);
  t.same(again.json(), view, 'the same deletion');
  t.equal(await app.mongo.db.collection(ACCOUNT_DELETIONS_COLLECTION).countDocuments({ 'index.userId': user.id }), 1, 'one saga');

  const status = await app.inject({ method: 'GET', url: view.statusUrl });
  t.equal(status.statusCode, 200, 'no token needed');
  t.same(status.json(), view);

  hold.release();
  t.same(await waitForCompleted(app, view.deletionId), { ...view, status: 'completed' });
  t.equal((await call('GET', '/v1/me')).statusCode, 401, 'the session ended with the account');
  const signIn = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: user.email, password: user.password, deviceId: user.deviceId } });
  t.equal(signIn.statusCode, 401);
});

t.test('refusals: no token, a wrong password (limited per account), an unknown or malformed id', async (t) => {
  const app = await startDeletionApp(t, { env: { AUTH_RATE_LIMIT_PER_ACCOUNT: '3' } });
  const user = await createTestUser(app);
  const call = withToken(app, (await loginAs(app, user)).accessToken);

  t.equal((await app.inject({ method: 'DELETE', url: '/v1/me', payload: { password: user.password } })).statusCode, 401);
  t.equal((await call('DELETE', '/v1/me', {})).statusCode, 400, 'the password is required');
  for (let i = 0; i < 3; i++) {
    const wrong = await call('DELETE', '/v1/me', { password: `${user.password}x` });
    t.equal(wrong.statusCode, 403);
    t.equal(wrong.json<{ code: string }>().code, 'WRONG_PASSWORD');
  }
  const limited = await call('DELETE', '/v1/me', { password: user.password });
  t.equal(limited.statusCode, 429, 'even the right password, once over the limit');
  t.ok(limited.headers['retry-after']);
  t.equal(await app.mongo.db.collection(ACCOUNT_DELETIONS_COLLECTION).countDocuments({}), 0, 'nothing started');
  t.ok(await app.users.repository.findById(user.id), 'the account stays');

  const other = await createTestUser(app);
  const otherCall = withToken(app, (await loginAs(app, other)).accessToken);
  t.equal((await otherCall('DELETE', '/v1/me', { password: `${other.password}x` })).statusCode, 403, 'the limit is per account');

  const unknown = await app.inject({ method: 'GET', url: `/v1/account-deletions/${randomUUID()}` });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json<{ code: string }>().code, 'ACCOUNT_DELETION_NOT_FOUND');
  t.equal((await app.inject({ method: 'GET', url: '/v1/account-deletions/not-a-uuid' })).statusCode, 400);
});

t.test('a live connection of the account is closed with 4403 when the deletion starts', async (t) => {
  const app = await startDeletionApp(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const user = await createTestUser(app);
  const { accessToken } = await loginAs(app, user);
  const socket = await authedWs(t, `ws://127.0.0.1:${port}/v1/ws`, accessToken);
  const res = await withToken(app, accessToken)('DELETE', '/v1/me', { password: user.password });
  t.equal(res.statusCode, 202);
  t.equal((await socket.closeCode()).code, WS_CLOSE_CODES.SESSION_REVOKED.code);
  await waitForCompleted(app, res.json<{ deletionId: string }>().deletionId);
});
