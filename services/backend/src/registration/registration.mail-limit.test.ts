import t, { type Test } from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { rateLimitKey } from '../rate-limit/rate-limiter.js';
import { codeFromMail, mailFor, register, registrationBody, resend, startRegistrationHarness, uniqueEmail, verify, type RegistrationHarness } from './registration.harness.test-support.js';

// Through the real app (verifier in-process, SMTP sink, Redis, RabbitMQ, FerretDB). Every scenario
// uses its own addresses, so the shared Redis counters never mix.

function assertLimited(t: Test, res: LightMyRequestResponse, label: string, maxSeconds: number): void {
  t.equal(res.statusCode, 429, `${label}: 429`);
  t.equal(res.json().code, 'RATE_LIMITED', `${label}: RATE_LIMITED`);
  const retryAfter = Number(res.headers['retry-after']);
  t.ok(retryAfter >= 1 && retryAfter <= maxSeconds, `${label}: Retry-After within the window (${retryAfter} s)`);
}

const sagasFor = (h: RegistrationHarness, email: string): Promise<number> =>
  h.db.collection('registrations').countDocuments({ 'index.emailNormalized': email.toLowerCase() });

/** Waits until a mail to `control` arrived (it was asked for after the refusal), then counts `email`'s. */
async function mailsAfterControl(t: Test, h: RegistrationHarness, app: FastifyInstance, email: string): Promise<number> {
  const control = uniqueEmail('control');
  t.equal((await register(app, registrationBody(control))).res.statusCode, 202, 'another address is not affected');
  await h.waitForMails(control);
  return (await h.mailbox.search(`to:"${email}"`)).length;
}

t.test('verification mails per address: registrations and resends share an hourly and a daily allowance', async (t) => {
  const h = await startRegistrationHarness(t);
  // No cooldown: resends are allowed at once, so only the mail allowance refuses.
  const hourly = await h.startApp({ env: { REGISTRATION_MAIL_LIMIT_PER_HOUR: '3', REGISTRATION_MAIL_LIMIT_PER_DAY: '1000', REGISTRATION_RESEND_COOLDOWN_MS: '0' } });
  const daily = await h.startApp({ env: { REGISTRATION_MAIL_LIMIT_PER_HOUR: '1000', REGISTRATION_MAIL_LIMIT_PER_DAY: '2', REGISTRATION_RESEND_COOLDOWN_MS: '0' } });

  t.test('the fourth mail within the hour is refused, whether a registration or a resend, and nothing is sent', async (t) => {
    const email = uniqueEmail('hourly');
    const first = await register(hourly, registrationBody(email));
    t.equal(first.res.statusCode, 202);
    await h.waitForStatus(hourly, first.id, 'awaiting-code');
    t.equal((await resend(hourly, first.id)).statusCode, 202, 'second mail: a resend');
    await h.waitForStatus(hourly, first.id, 'awaiting-code');
    t.equal((await register(hourly, registrationBody(email.toLowerCase()))).res.statusCode, 202, 'third mail: a new registration (any case)');
    await h.waitForMails(email, 3);

    assertLimited(t, (await register(hourly, registrationBody(email))).res, 'a fourth registration', 3_600);
    assertLimited(t, await resend(hourly, first.id), 'a resend', 3_600);
    t.equal(await sagasFor(h, email), 2, 'no saga started for the refused registration');
    t.match(await hourly.registration.service.get(first.id), { view: { status: 'awaiting-code', resendsLeft: 2 } }, 'the refused resend changed nothing');
    t.equal(await mailsAfterControl(t, h, hourly, email), 3, 'no fourth mail');
  });

  t.test('the daily allowance holds across the hour, with a Retry-After of up to a day', async (t) => {
    const email = uniqueEmail('daily');
    t.equal((await register(daily, registrationBody(email))).res.statusCode, 202);
    t.equal((await register(daily, registrationBody(email))).res.statusCode, 202);
    const refused = (await register(daily, registrationBody(email))).res;
    assertLimited(t, refused, 'a third registration in the day', 86_400);
    t.ok(Number(refused.headers['retry-after']) > 3_600, 'the daily window decides');
  });

  t.test('the address is never stored in clear in Redis', async (t) => {
    const email = uniqueEmail('redis-keys');
    t.equal((await register(hourly, registrationBody(email))).res.statusCode, 202);
    for (const scope of ['registration:mail:hour', 'registration:mail:day']) {
      t.equal(await h.redis.get(`rate-limit:${rateLimitKey(scope, email.toLowerCase())}`), '1', `${scope}: counted under a digest`);
    }
    const keys = await h.redis.keys('rate-limit:registration:mail:*');
    t.notOk(keys.some((k) => k.toLowerCase().includes(email.toLowerCase()) || k.includes('@')), 'no address in any key');
  });
});

t.test('a real user is never refused: a whole registration with its resends, under the default allowance', async (t) => {
  const h = await startRegistrationHarness(t);
  // The defaults (5 an hour, 10 a day), with a cooldown short enough to test.
  const app = await h.startApp({ env: { REGISTRATION_MAIL_LIMIT_PER_HOUR: '5', REGISTRATION_MAIL_LIMIT_PER_DAY: '10', REGISTRATION_RESEND_COOLDOWN_MS: '0' } });
  const email = uniqueEmail('real-user');
  const { id } = await register(app, registrationBody(email));
  for (let i = 1; i <= 3; i += 1) {
    await h.waitForStatus(app, id, 'awaiting-code');
    t.equal((await resend(app, id)).statusCode, 202, `resend ${i} of 3 (every one the machine allows)`);
  }
  await h.waitForStatus(app, id, 'awaiting-code');
  const mails = await h.waitForMails(email, 4);
  t.equal((await verify(app, id, codeFromMail(mails[0]!))).statusCode, 200, 'the newest code creates the account');
  t.ok(mailFor(mails, id), 'the mails name the registration');
});

t.test('resends refused for their cooldown spend nothing of the allowance', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp({ env: { REGISTRATION_MAIL_LIMIT_PER_HOUR: '2', REGISTRATION_RESEND_COOLDOWN_MS: '3600000' } });
  const email = uniqueEmail('impatient');
  const { id } = await register(app, registrationBody(email));
  await h.waitForStatus(app, id, 'awaiting-code');
  for (let i = 0; i < 5; i += 1) t.equal((await resend(app, id)).json().code, 'RESEND_COOLDOWN', `an impatient resend (${i + 1})`);
  t.equal((await register(app, registrationBody(email))).res.statusCode, 202, 'the second mail of the hour is still allowed');
  assertLimited(t, (await register(app, registrationBody(email))).res, 'the third', 3_600);
});

t.test('a weak password refused at registration spends nothing of the allowance', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp({ env: { REGISTRATION_MAIL_LIMIT_PER_HOUR: '1' } });
  const email = uniqueEmail('weak-first');
  t.equal((await register(app, registrationBody(email, { password: 'qwertyuiop' }))).res.statusCode, 400);
  t.equal((await register(app, registrationBody(email))).res.statusCode, 202, 'the one mail of the hour is still allowed');
});
