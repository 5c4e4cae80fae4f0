import t from 'tap';
import { codeFromMail, signIn, startRegistrationHarness } from '../registration/registration.harness.test-support.js';
import { NEW_DEVICE_ID, challengeMail, registeredAccount, submitCode, waitForChallenge } from './device-challenge.harness.test-support.js';

// The verifier dies between the saga's request and its reply: the request waits in its durable
// queue, and the challenge goes on once a verifier is back — or ends as designed when none comes.

t.test('a verifier down between request and reply: the challenge waits, then completes once it is back', async (t) => {
  const h = await startRegistrationHarness(t, { env: { VERIFY_WAIT_MS: '300' } });
  const app = await h.startApp();
  const email = await registeredAccount(h, app, 'device-down');

  await h.stopVerifier();
  const started = await signIn(app, email, undefined, NEW_DEVICE_ID, 'Ada’s tablet');
  t.equal(started.statusCode, 202, started.body);
  const { challengeId } = started.json<{ challengeId: string }>();
  t.equal((await waitForChallenge(app, challengeId, 'pending')).status, 'pending', 'no code mailed while the verifier is down');
  const early = await submitCode(app, challengeId, '123456');
  t.equal(early.statusCode, 409, 'a code before any was sent is refused');
  t.equal(early.json().code, 'CODE_FLOW_PENDING');

  await h.startVerifier();
  const code = codeFromMail(await challengeMail(h, email, challengeId));
  await waitForChallenge(app, challengeId, 'awaiting-code');

  await h.stopVerifier();
  const waiting = await submitCode(app, challengeId, code);
  t.equal(waiting.statusCode, 202, 'no verdict while the verifier is down');
  t.match(waiting.json(), { status: 'verifying' });
  await h.startVerifier();
  await waitForChallenge(app, challengeId, 'completed');
  // The request that waited got no tokens; the device is trusted now, so a plain sign-in gets them.
  t.equal((await signIn(app, email, undefined, NEW_DEVICE_ID)).statusCode, 201, 'the device is trusted once the late verdict arrived');
});

t.test('a verifier that never answers: the challenge ends failed (verifier-timeout), and the device is not trusted', async (t) => {
  const h = await startRegistrationHarness(t, { env: { VERIFIER_REQUEST_TIMEOUT_MS: '1500' } });
  const app = await h.startApp();
  const email = await registeredAccount(h, app, 'device-gone');

  await h.stopVerifier();
  const started = await signIn(app, email, undefined, NEW_DEVICE_ID);
  t.equal(started.statusCode, 202, started.body);
  const { challengeId } = started.json<{ challengeId: string }>();
  const failed = await waitForChallenge(app, challengeId, 'failed');
  t.match(failed, { status: 'failed', expiresAt: null, resendAvailableAt: null });
  const late = await submitCode(app, challengeId, '123456');
  t.equal(late.statusCode, 410, 'a timed-out challenge takes no code');
  t.equal(late.json().code, 'CODE_FLOW_FAILED');

  // The verifier comes back and answers the old request late: the answer changes nothing.
  await h.startVerifier();
  await challengeMail(h, email, challengeId);
  t.equal((await waitForChallenge(app, challengeId, 'failed')).status, 'failed', 'the late reply is stale');
  t.equal((await signIn(app, email, undefined, NEW_DEVICE_ID)).statusCode, 202, 'still not trusted: a new challenge');
});
