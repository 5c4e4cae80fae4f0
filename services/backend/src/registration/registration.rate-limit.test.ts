import { randomInt } from 'node:crypto';
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { waitFor } from '@ashchat/testkit';
import { register, registrationBody, resend, startRegistrationHarness, uniqueEmail, verify } from './registration.harness.test-support.js';

// Tiny limits; every scenario uses fresh client IPs and e-mails so scenarios never share a counter.
const LIMITS = {
  REGISTRATION_RATE_LIMIT_PER_IP: '3',
  REGISTRATION_RATE_LIMIT_PER_EMAIL: '2',
  REGISTRATION_STATUS_RATE_LIMIT_PER_IP: '3',
  REGISTRATION_STATUS_RATE_LIMIT_PER_EMAIL: '100',
  REGISTRATION_RATE_LIMIT_WINDOW_MS: '60000',
};
const ip = (): string => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

function assertLimited(t: Test, res: LightMyRequestResponse, label: string): void {
  t.equal(res.statusCode, 429, `${label}: 429`);
  t.equal(res.json().code, 'RATE_LIMITED', `${label}: RATE_LIMITED`);
  const retryAfter = Number(res.headers['retry-after']);
  t.ok(retryAfter >= 1 && retryAfter <= 60, `${label}: Retry-After within the window (${retryAfter})`);
}

t.test('registration rate limits per IP and per e-mail, shared by every instance', async (t) => {
  const h = await startRegistrationHarness(t, { env: LIMITS });
  const a = await h.startApp();
  const b = await h.startApp();

  t.test('per e-mail: the third registration of one address is refused, whatever the IP', async (t) => {
    const email = uniqueEmail('per-email');
    t.equal((await register(a, registrationBody(email), ip())).res.statusCode, 202);
    t.equal((await register(a, registrationBody(email.toUpperCase()), ip())).res.statusCode, 202);
    assertLimited(t, (await register(a, registrationBody(email), ip())).res, 'third for the address');
  });

  t.test('per IP: the fourth registration from one client is refused, whatever the address', async (t) => {
    const client = ip();
    for (let i = 0; i < 3; i += 1) t.equal((await register(a, registrationBody(uniqueEmail('per-ip')), client)).res.statusCode, 202);
    assertLimited(t, (await register(a, registrationBody(uniqueEmail('per-ip')), client)).res, 'fourth from the IP');
    t.equal((await register(a, registrationBody(uniqueEmail('per-ip')), ip())).res.statusCode, 202, 'another IP is not affected');
  });

  t.test('a second instance sharing Redis sees the same count', async (t) => {
    const client = ip();
    t.equal((await register(a, registrationBody(uniqueEmail('shared')), client)).res.statusCode, 202);
    t.equal((await register(a, registrationBody(uniqueEmail('shared')), client)).res.statusCode, 202);
    t.equal((await register(b, registrationBody(uniqueEmail('shared')), client)).res.statusCode, 202);
    assertLimited(t, (await register(b, registrationBody(uniqueEmail('shared')), client)).res, 'fourth, on the other instance');
  });

  t.test('the :id routes count per IP and per the registration e-mail', async (t) => {
    const { id } = await register(a, registrationBody(uniqueEmail('by-id')), ip());
    // Polled through the service: GETs would spend the very counters under test.
    await waitFor(async () => (await a.registration.service.get(id))?.view.status === 'awaiting-code', { message: 'the code to be sent' });

    // Status: per IP (3 per window).
    const client = ip();
    for (let i = 0; i < 3; i += 1) t.equal((await a.inject({ method: 'GET', url: `/v1/registrations/${id}`, remoteAddress: client })).statusCode, 200);
    assertLimited(t, await b.inject({ method: 'GET', url: `/v1/registrations/${id}`, remoteAddress: client }), 'fourth status read');

    // Verification: per the registration's e-mail (2 per window), from ever new IPs.
    t.equal((await verify(a, id, '000000', ip())).statusCode, 422);
    t.equal((await verify(b, id, '000001', ip())).statusCode, 422);
    assertLimited(t, await verify(a, id, '000002', ip()), 'third code for the address');

    // Resend has its own counter, limited the same way (the first two meet the machine's cooldown).
    for (let i = 0; i < 2; i += 1) t.equal((await resend(a, id, ip())).json().code, 'RESEND_COOLDOWN');
    assertLimited(t, await resend(a, id, ip()), 'third resend for the address');
  });
});
