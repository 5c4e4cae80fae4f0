import t from 'tap';
import { waitFor } from '@ashchat/testkit';
import { codeFromMail, startRegistrationHarness, uniqueEmail, wrongCode } from '../registration/registration.harness.test-support.js';
import { createTestUser } from '../users/user.test-support.js';
import { HIGH_RESET_LIMITS, NEW_PASSWORD, resendReset, resetMailFor, resetView, signInWith, startReset, verifyReset, waitForReset } from './password-reset.harness.test-support.js';

t.test('five wrong codes: 422 with attempts left 4, 3, 2, 1, then 423 locked for good; the password is unchanged', async (t) => {
  const h = await startRegistrationHarness(t, { env: HIGH_RESET_LIMITS });
  const app = await h.startApp();
  const user = await createTestUser(app, { email: uniqueEmail('wrong') });
  const { id } = await startReset(app, user.email);
  const code = codeFromMail(resetMailFor(await h.waitForMails(user.email), id));
  await waitForReset(app, id, 'awaiting-code');
  for (const attemptsLeft of [4, 3, 2, 1]) {
    const res = await verifyReset(app, id, wrongCode(code));
    t.equal(res.statusCode, 422);
    t.match(res.json(), { code: 'INVALID_CODE', details: { attemptsLeft } });
  }
  const locked = await verifyReset(app, id, wrongCode(code));
  t.equal(locked.statusCode, 423);
  t.equal(locked.json().code, 'CODE_FLOW_LOCKED');
  const right = await verifyReset(app, id, code);
  t.equal(right.statusCode, 423, `even the right code is refused once locked: ${right.body}`);
  t.equal((await resendReset(app, id)).json().code, 'CODE_FLOW_LOCKED');
  t.match(await resetView(app, id), { status: 'locked', attemptsLeft: 0, expiresAt: null });
  t.equal((await signInWith(app, user.email, NEW_PASSWORD)).statusCode, 401, 'the new password was never set');
});

t.test('resend: cooldown with Retry-After, then a new code (the old one stops working), then the limit', async (t) => {
  const h = await startRegistrationHarness(t, { env: { ...HIGH_RESET_LIMITS, REGISTRATION_RESEND_COOLDOWN_MS: '1500', REGISTRATION_MAX_RESENDS: '1' } });
  const app = await h.startApp();
  const user = await createTestUser(app, { email: uniqueEmail('resend') });
  const { id } = await startReset(app, user.email);
  const first = codeFromMail(resetMailFor(await h.waitForMails(user.email), id));
  const awaiting = await waitForReset(app, id, 'awaiting-code');

  const early = await resendReset(app, id);
  t.equal(early.statusCode, 429);
  t.equal(early.json().code, 'RESEND_COOLDOWN');
  t.ok(Number(early.headers['retry-after']) >= 1);
  t.same(early.json().details, { resendAvailableAt: awaiting.resendAvailableAt });

  const resendAt = Date.parse(String(awaiting.resendAvailableAt));
  await waitFor(() => Date.now() >= resendAt, { timeoutMs: 5_000, message: 'the advertised cooldown to end' });
  const resent = await resendReset(app, id);
  t.equal(resent.statusCode, 202, resent.body);
  t.match(resent.json(), { status: 'pending', resendsLeft: 0 });
  const mails = await h.waitForMails(user.email, 2);
  const second = codeFromMail(mails[0]!);
  await waitForReset(app, id, 'awaiting-code');
  t.equal((await resendReset(app, id)).json().code, 'RESEND_LIMIT_REACHED');
  if (second !== first) t.equal((await verifyReset(app, id, first)).statusCode, 422, 'the old code no longer works');
  t.equal((await verifyReset(app, id, second)).statusCode, 200);
});

t.test('limits: starts per address with Retry-After; reset mails per address, with or without an account', async (t) => {
  const h = await startRegistrationHarness(t, { env: { PASSWORD_RESET_RATE_LIMIT_PER_EMAIL: '2', PASSWORD_RESET_MAIL_LIMIT_PER_HOUR: '1' } });
  const app = await h.startApp();
  const user = await createTestUser(app, { email: uniqueEmail('limit') });
  const unknown = uniqueEmail('limit-nobody');
  for (const email of [user.email, unknown]) {
    t.equal((await startReset(app, email)).res.statusCode, 202);
    const mailLimited = await startReset(app, email);
    t.equal(mailLimited.res.statusCode, 429, 'the second mail within the hour is refused');
    t.equal(mailLimited.res.json().code, 'RATE_LIMITED');
    t.ok(Number(mailLimited.res.headers['retry-after']) > 900, 'Retry-After: the rest of the mail hour');
    const routeLimited = await startReset(app, email);
    t.equal(routeLimited.res.statusCode, 429);
    const wait = Number(routeLimited.res.headers['retry-after']);
    t.ok(wait >= 1 && wait <= 900, 'Retry-After: the rest of the 15-minute route window');
  }
  const fromElsewhere = await startReset(app, uniqueEmail('other'), '203.0.113.9');
  t.equal(fromElsewhere.res.statusCode, 202, 'another address is not limited');
});

t.test('a verifier down between request and reply: the saga waits and completes once it is back', async (t) => {
  const h = await startRegistrationHarness(t, { env: { ...HIGH_RESET_LIMITS, VERIFY_WAIT_MS: '300' } });
  const app = await h.startApp();
  const user = await createTestUser(app, { email: uniqueEmail('down') });

  await h.stopVerifier();
  const { id } = await startReset(app, user.email);
  const early = await verifyReset(app, id, '123456');
  t.equal(early.statusCode, 409, 'no code was sent yet');
  t.equal(early.json().code, 'CODE_FLOW_PENDING');
  t.equal(early.headers['retry-after'], '1');
  await h.startVerifier();
  const code = codeFromMail(resetMailFor(await h.waitForMails(user.email), id));
  await waitForReset(app, id, 'awaiting-code');

  await h.stopVerifier();
  const waiting = await verifyReset(app, id, code);
  t.equal(waiting.statusCode, 202, 'no verdict while the verifier is down');
  t.match(waiting.json(), { status: 'verifying' });
  t.equal((await verifyReset(app, id, code)).json().code, 'VERIFICATION_IN_PROGRESS');
  await h.startVerifier();
  await waitForReset(app, id, 'completed');
  t.equal((await signInWith(app, user.email, user.password)).statusCode, 401, 'the old password no longer works');
});

t.test('malformed input is a 400 with a stable code; unknown ids 404', async (t) => {
  const h = await startRegistrationHarness(t, { env: HIGH_RESET_LIMITS });
  const app = await h.startApp();
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as string });
  t.equal((await post('/v1/password-resets', { email: 'not-an-email' })).json().code, 'VALIDATION_FAILED');
  t.equal((await post('/v1/password-resets', { email: 'a@example.org', admin: true })).json().code, 'VALIDATION_FAILED');
  const { id } = await startReset(app, uniqueEmail('bad'));
  for (const payload of [{ code: '12345', newPassword: NEW_PASSWORD }, { code: '123456', newPassword: 'short' }, { code: '123456' }]) {
    const res = await post(`/v1/password-resets/${id}/verification`, payload);
    t.equal(res.statusCode, 400);
    t.equal(res.json().code, 'VALIDATION_FAILED');
  }
  const unknown = '5c0e7a2b-1f3d-4c8e-9a6b-2d4f6e8a0b1c';
  for (const res of [
    await app.inject({ method: 'GET', url: `/v1/password-resets/${unknown}` }),
    await verifyReset(app, unknown, '123456'),
    await resendReset(app, unknown),
  ]) {
    t.equal(res.statusCode, 404);
    t.equal(res.json().code, 'PASSWORD_RESET_NOT_FOUND');
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/password-resets/nope' })).statusCode, 400);
});
