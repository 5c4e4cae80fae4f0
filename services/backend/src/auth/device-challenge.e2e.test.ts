import t from 'tap';
import { MAX_CODE_ATTEMPTS } from '@ashchat/contracts';
import { codeFromMail, HARNESS_DEVICE_ID, signIn, startRegistrationHarness, wrongCode } from '../registration/registration.harness.test-support.js';
import { hashClientDeviceId } from '../devices/device-id.js';
import {
  NEW_DEVICE_ID,
  challengeMail,
  challengeUrl,
  deny,
  denialTokenFromMail,
  registeredAccount,
  submitCode,
  waitForChallenge,
} from './device-challenge.harness.test-support.js';

// Through the real app: the verifier in-process, an SMTP sink, MongoDB (FerretDB), Redis, RabbitMQ.

const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

t.test('the registering device signs in at once; a new one gets a mailed code, then tokens, and is trusted from then on', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const email = await registeredAccount(h, app);

  const laptop = await signIn(app, email);
  t.equal(laptop.statusCode, 201, 'the device that completed the registration is trusted');
  const laptopToken = laptop.json<{ accessToken: string }>().accessToken;

  const wrong = await signIn(app, email, 'not the password at all', NEW_DEVICE_ID);
  t.equal(wrong.statusCode, 401, 'a wrong password from a new device is a plain 401');
  t.equal(wrong.json().code, 'INVALID_CREDENTIALS');

  const started = await signIn(app, email, undefined, NEW_DEVICE_ID, 'Ada’s phone');
  t.equal(started.statusCode, 202, started.body);
  const { challengeId, status, statusUrl } = started.json<{ challengeId: string; status: string; statusUrl: string }>();
  t.same(Object.keys(started.json()).sort(), ['challengeId', 'status', 'statusUrl'], 'no tokens');
  t.equal(status, 'device-verification-required');
  t.equal(statusUrl, challengeUrl(challengeId));
  t.equal(started.headers.location, statusUrl);
  t.equal(started.headers['cache-control'], 'no-store');

  const mail = await challengeMail(h, email, challengeId);
  t.match(mail.Text, /Ada’s phone/, 'the mail names the device');
  t.equal(denialTokenFromMail(mail).length, 43, 'and carries the deny link');
  const code = codeFromMail(mail);
  const awaiting = await waitForChallenge(app, challengeId, 'awaiting-code');
  t.match(awaiting, { challengeId, attemptsLeft: MAX_CODE_ATTEMPTS, deviceName: 'Ada’s phone', lastError: null, statusUrl });

  const invalid = await submitCode(app, challengeId, wrongCode(code));
  t.equal(invalid.statusCode, 422);
  t.match(invalid.json(), { code: 'INVALID_CODE', details: { attemptsLeft: MAX_CODE_ATTEMPTS - 1 } });

  const done = await submitCode(app, challengeId, code);
  t.equal(done.statusCode, 201, done.body);
  t.equal(done.headers['cache-control'], 'no-store');
  const phone = done.json<{ accessToken: string; refreshToken: string; tokenType: string }>();
  t.equal(phone.tokenType, 'Bearer');
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(phone.accessToken) })).statusCode, 200, 'the tokens work');
  t.equal((await app.inject({ method: 'GET', url: statusUrl })).json().status, 'completed');

  const again = await submitCode(app, challengeId, code);
  t.equal(again.statusCode, 409, 'tokens are issued once');
  t.equal(again.json().code, 'CODE_FLOW_COMPLETED');
  const direct = await signIn(app, email, undefined, NEW_DEVICE_ID);
  t.equal(direct.statusCode, 201, 'the device is trusted: no code any more');

  const devices = await app.inject({ method: 'GET', url: '/v1/devices', headers: bearer(phone.accessToken) });
  t.equal(devices.statusCode, 200);
  const list = devices.json<{ devices: Array<{ deviceId: string; name: string | null; current: boolean }> }>().devices;
  t.same(list.map((d) => [d.name, d.current]).sort(), [['Ada’s phone', true], ['harness device', false]]);
  const user = await app.users.repository.findByEmail(email);
  const stored = await h.db.collection('devices').find({ userId: user!._id }).toArray();
  t.same(stored.map((d) => d['deviceIdHash']).sort(), [hashClientDeviceId(HARNESS_DEVICE_ID), hashClientDeviceId(NEW_DEVICE_ID)].sort(), 'only digests are stored');

  const sessions = await app.inject({ method: 'GET', url: '/v1/sessions', headers: bearer(laptopToken) });
  const phoneDevice = list.find((d) => d.name === 'Ada’s phone')!;
  t.same(
    sessions.json<{ sessions: Array<{ deviceId: string; current: boolean }> }>().sessions.map((s) => [s.deviceId === phoneDevice.deviceId, s.current]),
    [[true, false], [true, false], [false, true]],
    'the phone’s two sessions (newest first) and the laptop’s, the current one',
  );
});

t.test('wrong codes lock the challenge: 423, and no tokens even with the right code', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const email = await registeredAccount(h, app, 'lock');
  const { challengeId } = (await signIn(app, email, undefined, NEW_DEVICE_ID)).json<{ challengeId: string }>();
  const code = codeFromMail(await challengeMail(h, email, challengeId));
  await waitForChallenge(app, challengeId, 'awaiting-code');
  const early = await app.inject({ method: 'POST', url: `${challengeUrl(challengeId)}/resend` });
  t.equal(early.statusCode, 429, 'a resend waits for its cooldown');
  t.equal(early.json().code, 'RESEND_COOLDOWN');
  t.ok(Number(early.headers['retry-after']) >= 1);
  const answers: number[] = [];
  for (let i = 0; i < MAX_CODE_ATTEMPTS + 1 && answers.at(-1) !== 423; i++) answers.push((await submitCode(app, challengeId, wrongCode(code))).statusCode);
  t.same(answers, [...Array<number>(MAX_CODE_ATTEMPTS - 1).fill(422), 423], 'INVALID_CODE until the verifier locks it');
  const right = await submitCode(app, challengeId, code);
  t.equal(right.statusCode, 423);
  t.equal(right.json().code, 'CODE_FLOW_LOCKED');
  t.equal((await signIn(app, email, undefined, NEW_DEVICE_ID)).statusCode, 202, 'the device is still not trusted');
});

t.test('the mail’s "this was not me" link ends the challenge: denied, never any tokens', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const email = await registeredAccount(h, app, 'deny');
  const { challengeId } = (await signIn(app, email, undefined, NEW_DEVICE_ID)).json<{ challengeId: string }>();
  const mail = await challengeMail(h, email, challengeId);
  await waitForChallenge(app, challengeId, 'awaiting-code');

  const forged = await deny(app, challengeId, 'A'.repeat(43));
  t.equal(forged.statusCode, 403);
  t.equal(forged.json().code, 'INVALID_DENIAL_TOKEN');
  const unknown = await deny(app, '00000000-0000-4000-8000-000000000000', denialTokenFromMail(mail));
  t.equal(unknown.statusCode, 403, 'a token is only good for its own challenge');

  const denied = await deny(app, challengeId, denialTokenFromMail(mail));
  t.equal(denied.statusCode, 200, denied.body);
  t.match(denied.json(), { challengeId, status: 'denied', expiresAt: null });
  t.equal((await deny(app, challengeId, denialTokenFromMail(mail))).statusCode, 200, 'repeatable');
  const late = await submitCode(app, challengeId, codeFromMail(mail));
  t.equal(late.statusCode, 410);
  t.equal(late.json().code, 'CODE_FLOW_DENIED');
  t.equal((await app.inject({ method: 'POST', url: `${challengeUrl(challengeId)}/resend` })).json().code, 'CODE_FLOW_DENIED');
  t.equal((await signIn(app, email, undefined, NEW_DEVICE_ID)).statusCode, 202, 'the device is not trusted');
  const user = await app.users.repository.findByEmail(email);
  t.equal(await h.db.collection('sessions').countDocuments({ userId: user!._id }), 0, 'no session was ever issued');
  t.equal((await app.inject({ method: 'GET', url: challengeUrl('00000000-0000-4000-8000-000000000000') })).json().code, 'DEVICE_CHALLENGE_NOT_FOUND');
});

t.test('a resend mails a new code: the old one stops working, the new one signs in', async (t) => {
  const h = await startRegistrationHarness(t, { env: { REGISTRATION_RESEND_COOLDOWN_MS: '0' } });
  const app = await h.startApp();
  const email = await registeredAccount(h, app, 'resend');
  const { challengeId } = (await signIn(app, email, undefined, NEW_DEVICE_ID)).json<{ challengeId: string }>();
  const first = codeFromMail(await challengeMail(h, email, challengeId));
  await waitForChallenge(app, challengeId, 'awaiting-code');
  const resent = await app.inject({ method: 'POST', url: `${challengeUrl(challengeId)}/resend` });
  t.equal(resent.statusCode, 202, resent.body);
  t.match(resent.json(), { challengeId, status: 'pending' });
  const mails = await h.waitForMails(email, 3);
  const second = codeFromMail(mails[0]!);
  await waitForChallenge(app, challengeId, 'awaiting-code');
  // Codes are random: only a one-in-a-million repeat could make the old code the new one.
  if (second !== first) {
    const old = await submitCode(app, challengeId, first);
    t.equal(old.statusCode, 422, 'the first code no longer works');
  }
  t.equal((await submitCode(app, challengeId, second)).statusCode, 201, 'the new one does');
});
