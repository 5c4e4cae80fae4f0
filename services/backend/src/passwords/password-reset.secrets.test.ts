import t from 'tap';
import { loggerOptions } from '@ashchat/service-kit';
import { getInfra } from '@ashchat/testkit';
import { codeFromMail, containsCode, startRegistrationHarness, uniqueEmail, wrongCode } from '../registration/registration.harness.test-support.js';
import { leaksIn, monitorRedis, recordLog, recordPublished } from '../sagas/secrets.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';
import { HIGH_RESET_LIMITS, resendReset, resetMailFor, startReset, verifyReset, waitForReset } from './password-reset.harness.test-support.js';

t.test('neither password, hash nor code reaches Redis, a published message, the log or the saga document', async (t) => {
  const h = await startRegistrationHarness(t, { env: { ...HIGH_RESET_LIMITS, REGISTRATION_RESEND_COOLDOWN_MS: '0', LOG_LEVEL: 'trace' } });
  const log = recordLog();
  const published = recordPublished();
  const app = await h.startApp({ server: { logger: { ...loggerOptions('trace'), stream: log.stream } }, passwordReset: { publisher: published.publisher } });
  const user = await createTestUser(app, { email: uniqueEmail('secret') });
  const oldSession = await loginAs(app, user);
  const commands = await monitorRedis((await getInfra()).redisUri);
  t.teardown(() => commands.close());

  const newPassword = `brand new ${Math.random().toString(36).slice(2)} horse`;
  const { id } = await startReset(app, user.email);
  const first = codeFromMail(resetMailFor(await h.waitForMails(user.email, 1), id));
  await waitForReset(app, id, 'awaiting-code');
  t.equal((await verifyReset(app, id, wrongCode(first), newPassword)).statusCode, 422);
  const afterWrong = JSON.stringify(await h.db.collection('password_resets').findOne({ _id: id as never }));
  t.notOk(/argon2/.test(afterWrong), 'a wrong code leaves no hash in the saga document');
  t.equal((await resendReset(app, id)).statusCode, 202);
  const second = codeFromMail((await h.waitForMails(user.email, 2))[0]!);
  await waitForReset(app, id, 'awaiting-code');
  t.equal((await verifyReset(app, id, second, newPassword)).statusCode, 200);
  const hash = (await app.users.repository.findById(user.id))!.passwordHash;
  await h.waitForMails(user.email, 3);
  // A request with the old token, so the log holds an authenticated request too.
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: oldSession.headers })).statusCode, 401);

  await commands.drain(h.redis, `monitor-end-${id}`);

  const secrets = { named: { 'the new password': newPassword, 'the old password': user.password, 'the hash': hash }, codes: [first, second], containsCode };
  const leaks = (texts: string[]) => leaksIn(texts, secrets);
  const sent = published.messages;
  t.ok(commands.lines.some((c) => c.includes(id)), 'the flow wrote to Redis (sanity check of the monitor)');
  t.same(leaks(commands.lines), [], 'no Redis command carried a secret');
  t.ok(sent.length >= 4, 'code requests, checks and the notice were published');
  t.same(leaks(sent.map((m) => JSON.stringify(m))), [], 'no published message carried a secret');
  t.notOk(sent.some((m) => /pass|hash/i.test(Object.keys(m.body as object).join(' '))), 'no password-looking field in a message');
  t.ok(log.lines.length > 10, 'the log was written (sanity check)');
  t.same(leaks(log.lines), [], 'no log line carried a secret');
  const doc = JSON.stringify(await h.db.collection('password_resets').findOne({ _id: id as never }));
  t.same(leaks([doc]), [], 'the finished saga document holds no secret');
});
