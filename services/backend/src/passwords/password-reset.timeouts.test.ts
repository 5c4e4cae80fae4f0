import t from 'tap';
import { waitFor } from '@ashchat/testkit';
import { startRegistrationHarness, uniqueEmail } from '../registration/registration.harness.test-support.js';
import { createTestUser } from '../users/user.test-support.js';
import { HIGH_RESET_LIMITS, resetView, startReset, verifyReset, waitForReset } from './password-reset.harness.test-support.js';

// A short code lifetime; the sweep is far away, so only the Redis expiry event can be fast enough.
const SHORT_TTL = { ...HIGH_RESET_LIMITS, PASSWORD_RESET_CODE_TTL_MS: '1500', SAGA_SWEEP_INTERVAL_MS: '600000' };

t.test('a code lifetime running out expires the reset through the Redis expiry event', async (t) => {
  const h = await startRegistrationHarness(t, { env: SHORT_TTL });
  const app = await h.startApp();
  const user = await createTestUser(app, { email: uniqueEmail('expiry') });
  const { id } = await startReset(app, user.email);
  await h.waitForMails(user.email);
  const expired = await waitForReset(app, id, 'expired', 10_000);
  t.match(expired, { status: 'expired', expiresAt: null, resendAvailableAt: null });
  const res = await verifyReset(app, id, '123456');
  t.equal(res.statusCode, 410);
  t.equal(res.json().code, 'CODE_FLOW_EXPIRED');
});

t.test('an unknown address’s reset expires the same way', async (t) => {
  const h = await startRegistrationHarness(t, { env: SHORT_TTL });
  const app = await h.startApp();
  const { id } = await startReset(app, uniqueEmail('expiry-nobody'));
  t.match(await waitForReset(app, id, 'expired', 10_000), { status: 'expired' });
});

t.test('an expiry missed while nobody listened is caught by the sweep', async (t) => {
  const h = await startRegistrationHarness(t, { env: SHORT_TTL });
  const app = await h.startApp({ passwordReset: { background: false } });
  const user = await createTestUser(app, { email: uniqueEmail('sweep') });
  const { id } = await startReset(app, user.email);
  const awaiting = await waitForReset(app, id, 'awaiting-code');
  const expiresAt = Date.parse(String(awaiting.expiresAt));
  await waitFor(async () => (await h.redis.keys(`saga-timer:password-reset:${id}:expiry:*`)).length === 0 && Date.now() > expiresAt, {
    message: 'the expiry timer key to be gone',
  });
  t.equal((await resetView(app, id)).status, 'awaiting-code', 'nobody reacted yet');
  t.equal(await app.passwords.runtime.sweepOnce(), 1, 'the sweep fired the overdue timer');
  t.match(await resetView(app, id), { status: 'expired' });
});
