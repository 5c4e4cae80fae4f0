import t from 'tap';
import { waitFor } from '@ashchat/testkit';
import { register, registrationBody, startRegistrationHarness, uniqueEmail, verify } from './registration.harness.test-support.js';

// A short code lifetime; the sweep is far away, so only the Redis expiry event can be fast enough.
const SHORT_TTL = { REGISTRATION_CODE_TTL_MS: '1500', SAGA_SWEEP_INTERVAL_MS: '600000' };

t.test('a code lifetime running out expires the registration through the Redis expiry event', async (t) => {
  const h = await startRegistrationHarness(t, { env: SHORT_TTL });
  const app = await h.startApp();
  const email = uniqueEmail('expiry');
  const { id } = await register(app, registrationBody(email));
  await h.waitForMails(email);

  const expired = await h.waitForStatus(app, id, 'expired', 10_000);
  t.match(expired, { status: 'expired', expiresAt: null, resendAvailableAt: null });
  const res = await verify(app, id, '123456');
  t.equal(res.statusCode, 410);
  t.equal(res.json().code, 'REGISTRATION_EXPIRED');
});

t.test('an expiry missed while nobody listened is caught by the sweep', async (t) => {
  const h = await startRegistrationHarness(t, { env: SHORT_TTL });
  // No expiry subscriber, no sweep loop: the timer key expires unheard.
  const app = await h.startApp({ registration: { background: false } });
  const email = uniqueEmail('sweep');
  const { id } = await register(app, registrationBody(email));
  const awaiting = await h.waitForStatus(app, id, 'awaiting-code');
  const expiresAt = Date.parse(String(awaiting.expiresAt));

  // The timer key's expiry is the event nobody heard.
  await waitFor(async () => (await h.redis.keys(`saga-timer:registration:${id}:expiry:*`)).length === 0 && Date.now() > expiresAt, {
    message: 'the expiry timer key to be gone',
  });
  t.equal((await app.inject({ method: 'GET', url: `/v1/registrations/${id}` })).json().status, 'awaiting-code', 'nobody reacted yet');

  t.equal(await app.registration.runtime.sweepOnce(), 1, 'the sweep fired the overdue timer');
  t.match((await app.inject({ method: 'GET', url: `/v1/registrations/${id}` })).json(), { status: 'expired' });
  t.equal(await app.registration.runtime.sweepOnce(), 0, 'nothing left to sweep');
});
