import { Writable } from 'node:stream';
import t from 'tap';
import { loggerOptions } from '@ashchat/service-kit';
import type { TypedPublisher } from '@ashchat/messaging';
import { createPasswordHasher } from '../security/password.hasher.js';
import { startRegistrationHarness } from '../registration/registration.harness.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';
import { HIGH_RESET_LIMITS, NEW_PASSWORD, NOTICE_SUBJECT, recordingPublisher, signInWith } from './password-reset.harness.test-support.js';

const change = (app: Awaited<ReturnType<Awaited<ReturnType<typeof startRegistrationHarness>>['startApp']>>, headers: object, body: object) =>
  app.inject({ method: 'PUT', url: '/v1/me/password', headers: headers as Record<string, string>, payload: body });

t.test('PUT /v1/me/password: 204; the other sessions end, the caller’s stays; the owner is told one way', async (t) => {
  const h = await startRegistrationHarness(t, { env: HIGH_RESET_LIMITS });
  const sent: Array<{ queue: string; body: unknown; props: unknown }> = [];
  const app = await h.startApp({ passwordReset: { publisher: recordingPublisher(sent) } });
  const user = await createTestUser(app);
  const caller = await loginAs(app, user);
  const other = await loginAs(app, user);

  const res = await change(app, caller.headers, { currentPassword: user.password, newPassword: NEW_PASSWORD });
  t.equal(res.statusCode, 204, res.body);
  const me = (headers: object) => app.inject({ method: 'GET', url: '/v1/me', headers: headers as Record<string, string> });
  t.equal((await me(caller.headers)).statusCode, 200, 'the caller stays signed in');
  t.equal((await me(other.headers)).statusCode, 401, 'the other session ended');
  t.equal((await signInWith(app, user.email, user.password)).json().code, 'INVALID_CREDENTIALS', 'the old password fails');
  await loginAs(app, { ...user, password: NEW_PASSWORD });

  const notice = sent.find((m) => m.queue.endsWith('ACCOUNT_NOTICE_QUEUE'));
  t.match(notice, { body: { kind: 'password-changed', email: user.email, nickname: user.nickname, noticeId: /^password-change-[0-9a-f-]{36}$/ } });
  t.notOk((notice?.props as { replyTo?: string }).replyTo, 'one way');
  t.ok((await h.waitForMails(user.email)).some((m) => m.Subject === NOTICE_SUBJECT), 'the notice was mailed');
});

t.test('refusals: wrong current password 403, weak new one 400, guessing limited per account, no token 401', async (t) => {
  const h = await startRegistrationHarness(t, { env: { ...HIGH_RESET_LIMITS, AUTH_RATE_LIMIT_PER_ACCOUNT: '3' } });
  const app = await h.startApp();
  const user = await createTestUser(app);
  const session = await loginAs(app, user);

  const wrong = await change(app, session.headers, { currentPassword: 'not the password', newPassword: NEW_PASSWORD });
  t.equal(wrong.statusCode, 403);
  t.equal(wrong.json().code, 'WRONG_PASSWORD');
  const weak = await change(app, session.headers, { currentPassword: user.password, newPassword: 'qwertyuiop' });
  t.equal(weak.statusCode, 400);
  t.match(weak.json(), { code: 'WEAK_PASSWORD', details: { reason: 'common' } });
  t.equal((await change(app, session.headers, { currentPassword: 'still wrong', newPassword: NEW_PASSWORD })).statusCode, 403);
  const limited = await change(app, session.headers, { currentPassword: user.password, newPassword: NEW_PASSWORD });
  t.equal(limited.statusCode, 429, 'the fourth attempt within the window is refused, even with the right password');
  t.equal(limited.json().code, 'RATE_LIMITED');
  t.ok(Number(limited.headers['retry-after']) >= 1);
  t.equal((await app.inject({ method: 'PUT', url: '/v1/me/password', payload: { currentPassword: 'x', newPassword: NEW_PASSWORD } })).statusCode, 401);
  const stored = await app.users.repository.findById(user.id);
  t.ok(await createPasswordHasher().verify(stored!.passwordHash, user.password), 'the password never changed');
});

t.test('a notice that cannot be published is logged, the change still succeeds', async (t) => {
  const h = await startRegistrationHarness(t, { env: HIGH_RESET_LIMITS });
  const failing = (real: TypedPublisher): TypedPublisher => ({
    async send(queue, schema, body, props) {
      if (queue.endsWith('ACCOUNT_NOTICE_QUEUE')) throw new Error('test: broker refused');
      return real.send(queue, schema, body, props);
    },
    close: () => real.close(),
  });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await h.startApp({ passwordReset: { publisher: failing }, server: { logger: { ...loggerOptions('info'), stream } } });
  const user = await createTestUser(app);
  const session = await loginAs(app, user);
  t.equal((await change(app, session.headers, { currentPassword: user.password, newPassword: NEW_PASSWORD })).statusCode, 204);
  await loginAs(app, { ...user, password: NEW_PASSWORD });
  const warning = logs.map((l) => JSON.parse(l) as { msg?: string; noticeId?: string }).find((l) => l.msg?.includes('account notice not published'));
  t.match(warning, { noticeId: /^password-change-/ }, 'the failed publish was logged');
  t.notOk(logs.some((l) => l.includes(NEW_PASSWORD) || l.includes(user.password)), 'without a password');
});
