import type { AddressInfo } from 'node:net';
import t from 'tap';
import { ACCOUNT_NOTICE_QUEUE, WS_CLOSE_CODES } from '@ashchat/contracts';
import { createPasswordHasher } from '../security/password.hasher.js';
import { authedWs } from '../realtime/ws.test-support.js';
import { codeFromMail, startRegistrationHarness, uniqueEmail, wrongCode } from '../registration/registration.harness.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';
import {
  HIGH_RESET_LIMITS,
  NEW_PASSWORD,
  NOTICE_SUBJECT,
  recordingPublisher,
  resetMailFor,
  resetView,
  signInWith,
  startReset,
  verifyReset,
  waitForReset,
} from './password-reset.harness.test-support.js';

t.test('reset: code from the mail → new password; old password, old tokens and old sockets all end', async (t) => {
  const h = await startRegistrationHarness(t, { env: HIGH_RESET_LIMITS });
  const sent: Array<{ queue: string; body: unknown; props: unknown }> = [];
  const app = await h.startApp({ passwordReset: { publisher: recordingPublisher(sent) } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const wsUrl = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/ws`;
  const user = await createTestUser(app, { email: uniqueEmail('reset') });
  const before = await loginAs(app, user);
  const socket = await authedWs(t, wsUrl, before.accessToken);

  const { res, id } = await startReset(app, user.email);
  t.equal(res.statusCode, 202);
  t.same(Object.keys(res.json()).sort(), ['resetId', 'status', 'statusUrl']);
  t.equal(res.headers.location, `/v1/password-resets/${id}`);
  const code = codeFromMail(resetMailFor(await h.waitForMails(user.email), id));
  const awaiting = await waitForReset(app, id, 'awaiting-code');
  t.match(awaiting, { resetId: id, attemptsLeft: 5, lastError: null, statusUrl: `/v1/password-resets/${id}` });

  const done = await verifyReset(app, id, code);
  t.equal(done.statusCode, 200, done.body);
  t.match(done.json(), { resetId: id, status: 'completed', expiresAt: null });

  const old = await signInWith(app, user.email, user.password);
  t.equal(old.statusCode, 401);
  t.equal(old.json().code, 'INVALID_CREDENTIALS');
  const fresh = await loginAs(app, { ...user, password: NEW_PASSWORD });
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: fresh.headers })).statusCode, 200, 'the new password signs in');
  const stale = await app.inject({ method: 'GET', url: '/v1/me', headers: before.headers });
  t.equal(stale.statusCode, 401, 'an access token issued before the reset is refused');
  const closed = await socket.closeCode();
  t.equal(closed.code, WS_CLOSE_CODES.SESSION_REVOKED.code, `a socket opened before is closed with 4403 (${JSON.stringify(closed)})`);

  const stored = await app.users.repository.findById(user.id);
  t.ok(await createPasswordHasher().verify(stored!.passwordHash, NEW_PASSWORD));
  const doc = JSON.stringify(await h.db.collection('password_resets').findOne({ _id: id as never }));
  t.notOk(doc.includes(stored!.passwordHash), 'the finished saga holds no hash');
  t.notOk(doc.includes(NEW_PASSWORD), 'nor the password');

  const notice = sent.find((m) => m.queue.endsWith(ACCOUNT_NOTICE_QUEUE));
  t.match(notice, { body: { noticeId: `password-reset-${id}`, kind: 'password-changed', email: user.email } });
  t.notOk((notice?.props as { replyTo?: string }).replyTo, 'the notice is one way');
  const mails = await h.waitForMails(user.email, 2);
  t.ok(mails.some((m) => m.Subject === NOTICE_SUBJECT), 'the owner is told by mail');
  t.equal((await verifyReset(app, id, code)).json().code, 'CODE_FLOW_COMPLETED');
});

t.test('anti-enumeration: a known and an unknown address get the same answers; only the known one gets mail', async (t) => {
  const h = await startRegistrationHarness(t, { env: HIGH_RESET_LIMITS });
  const app = await h.startApp();
  const user = await createTestUser(app, { email: uniqueEmail('known') });
  const unknownEmail = uniqueEmail('nobody');

  const known = await startReset(app, user.email);
  const unknown = await startReset(app, unknownEmail);
  t.equal(unknown.res.statusCode, known.res.statusCode);
  t.same(Object.keys(unknown.res.json()).sort(), Object.keys(known.res.json()).sort());
  t.equal(unknown.res.json().status, known.res.json().status);
  t.same(Object.keys(unknown.res.headers).sort(), Object.keys(known.res.headers).sort(), 'the same headers');

  await h.waitForMails(user.email);
  const a = await waitForReset(app, known.id, 'awaiting-code');
  const b = await waitForReset(app, unknown.id, 'awaiting-code');
  const shape = (v: Record<string, unknown>) => ({ ...v, resetId: 'x', statusUrl: 'x', expiresAt: typeof v.expiresAt, resendAvailableAt: typeof v.resendAvailableAt });
  t.same(shape(b), shape(a), 'the same view');
  const wrong = await verifyReset(app, unknown.id, '123456');
  t.equal(wrong.statusCode, 422, 'a code for an unknown address is just wrong');
  t.same(wrong.json().details, { attemptsLeft: 4 });
  t.same(await h.mailbox.search(`to:"${unknownEmail}"`), [], 'no mail to the unknown address');
});

t.test('a weak new password is refused before the code is used', async (t) => {
  const h = await startRegistrationHarness(t, { env: HIGH_RESET_LIMITS });
  const app = await h.startApp();
  const user = await createTestUser(app, { email: uniqueEmail('weak') });
  const { id } = await startReset(app, user.email);
  const code = codeFromMail(resetMailFor(await h.waitForMails(user.email), id));
  await waitForReset(app, id, 'awaiting-code');
  const weak = await verifyReset(app, id, wrongCode(code), 'password123');
  t.equal(weak.statusCode, 400);
  t.match(weak.json(), { code: 'WEAK_PASSWORD', details: { reason: 'common' } });
  t.match(await resetView(app, id), { status: 'awaiting-code', attemptsLeft: 5 }, 'no attempt spent');
  t.equal((await verifyReset(app, id, code)).statusCode, 200, 'the code still works');
});
