import t from 'tap';
import type { TypedPublisher } from '@ashchat/messaging';
import { createPasswordHasher } from '../security/password.hasher.js';
import {
  PASSWORD,
  codeFromMail,
  register,
  registrationBody,
  resend,
  startRegistrationHarness,
  uniqueEmail,
  verify,
  wrongCode,
} from './registration.harness.test-support.js';

/** Records every message body and header set the backend publishes (a copy of what the queue holds). */
function recordingPublisher(sent: string[]) {
  return (real: TypedPublisher): TypedPublisher => ({
    async send(queue, schema, body, props) {
      sent.push(JSON.stringify({ queue, body, props }));
      return real.send(queue, schema, body, props);
    },
    close: () => real.close(),
  });
}

t.test('register → code from the mail → verify → the user exists; no secret left behind', async (t) => {
  const h = await startRegistrationHarness(t);
  const sent: string[] = [];
  const app = await h.startApp({ registration: { publisher: recordingPublisher(sent) } });
  const email = uniqueEmail('Ada.Lovelace');

  const { res, id } = await register(app, registrationBody(email, { nickname: 'Ada L', preferredLanguage: 'de' }));
  t.equal(res.statusCode, 202);
  t.same(Object.keys(res.json()).sort(), ['registrationId', 'status', 'statusUrl']);
  t.equal(res.json().statusUrl, `/v1/registrations/${id}`);
  t.equal(res.headers.location, `/v1/registrations/${id}`);

  const [mail] = await h.waitForMails(email);
  const code = codeFromMail(mail!);
  const awaiting = await h.waitForStatus(app, id, 'awaiting-code');
  t.equal(awaiting.attemptsLeft, 5);
  t.ok(Date.parse(String(awaiting.expiresAt)) > Date.now(), 'expiry is an ISO time in the future');
  t.type(awaiting.resendAvailableAt, 'string');

  const done = await verify(app, id, code);
  t.equal(done.statusCode, 200);
  t.match(done.json(), { registrationId: id, status: 'completed', expiresAt: null, statusUrl: `/v1/registrations/${id}` });
  t.equal((await app.inject({ method: 'GET', url: `/v1/registrations/${id}` })).json().status, 'completed');

  const user = await app.users.repository.findByEmail(email.toUpperCase());
  t.ok(user, 'the user is found by e-mail in any case');
  t.equal(user?.email, email);
  t.equal(user?.nickname, 'Ada L');
  t.equal(user?.preferredLanguage, 'de');
  t.match(user?.passwordHash, /^\$argon2id\$/);
  t.ok(await createPasswordHasher().verify(user!.passwordHash, PASSWORD), 'the stored hash verifies with the password');

  const doc = await h.db.collection('registrations').findOne({ _id: id as never });
  const stored = JSON.stringify(doc);
  t.notOk(stored.includes(user!.passwordHash), 'the completed saga holds no hash');
  t.notOk(stored.includes(PASSWORD), 'nor the password');
  t.equal(JSON.parse(String(doc?.snapshot)).context.passwordHash, null);
  t.same(doc?.outbox, [], 'the outbox is drained');

  t.ok(sent.length >= 2, 'the code request and the code check were published');
  for (const message of sent) {
    t.notOk(message.includes(PASSWORD), 'no published message carries the password');
    t.notOk(message.includes(user!.passwordHash), 'no published message carries the hash');
    t.notOk(message.includes('passwordHash'), 'no published message has a hash field');
  }

  const again = await verify(app, id, code);
  t.equal(again.statusCode, 409);
  t.equal(again.json().code, 'REGISTRATION_ALREADY_COMPLETED');
});

t.test('resend: the old code stops working, the new one completes the registration', async (t) => {
  const h = await startRegistrationHarness(t, { env: { REGISTRATION_RESEND_COOLDOWN_MS: '0', REGISTRATION_MAX_RESENDS: '1' } });
  const app = await h.startApp();
  const email = uniqueEmail('resend');
  const { id } = await register(app, registrationBody(email));
  const first = codeFromMail((await h.waitForMails(email, 1))[0]!);
  t.equal((await h.waitForStatus(app, id, 'awaiting-code')).resendsLeft, 1);

  const again = await resend(app, id);
  t.equal(again.statusCode, 202);
  t.match(again.json(), { registrationId: id, status: 'pending', resendsLeft: 0 });
  const second = codeFromMail((await h.waitForMails(email, 2))[0]!);
  await h.waitForStatus(app, id, 'awaiting-code');

  const limit = await resend(app, id);
  t.equal(limit.statusCode, 429);
  t.equal(limit.json().code, 'RESEND_LIMIT_REACHED');

  // Codes are random: in the rare case both are equal the old one would still pass; use a surely wrong one then.
  const old = await verify(app, id, first === second ? wrongCode(second) : first);
  t.equal(old.statusCode, 422, 'the first code is no longer valid');
  t.equal(old.json().code, 'INVALID_CODE');
  t.same(old.json().details, { attemptsLeft: 4 });

  const ok = await verify(app, id, second);
  t.equal(ok.statusCode, 200);
  t.equal(ok.json().status, 'completed');
});

t.test('resend within the cooldown is 429 RESEND_COOLDOWN with Retry-After', async (t) => {
  const h = await startRegistrationHarness(t, { env: { REGISTRATION_RESEND_COOLDOWN_MS: '600000' } });
  const app = await h.startApp();
  const email = uniqueEmail('cooldown');
  const { id } = await register(app, registrationBody(email));
  const awaiting = await h.waitForStatus(app, id, 'awaiting-code');

  const res = await resend(app, id);
  t.equal(res.statusCode, 429);
  t.equal(res.json().code, 'RESEND_COOLDOWN');
  const retryAfter = Number(res.headers['retry-after']);
  t.ok(retryAfter > 500 && retryAfter <= 600, `Retry-After is the rest of the cooldown in seconds (${retryAfter})`);
  t.equal(res.json().details.resendAvailableAt, awaiting.resendAvailableAt);
  t.equal((await h.waitForMails(email, 1)).length, 1, 'no second mail');
});

t.test('an e-mail that already has an account gets the same answer and an "account exists" mail', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const email = uniqueEmail('taken');
  const inserted = await app.users.repository.insert(
    {
      _id: 'existing-user',
      registrationId: 'existing-user',
      email,
      emailNormalized: email.toLowerCase(),
      nickname: 'Owner',
      preferredLanguage: 'en',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA',
    },
    new Date(),
  );
  t.equal(inserted.outcome, 'created');

  const fresh = await register(app, registrationBody(uniqueEmail('fresh')));
  const existing = await register(app, registrationBody(email.toUpperCase()));
  t.equal(existing.res.statusCode, fresh.res.statusCode);
  t.same(Object.keys(existing.res.json()).sort(), Object.keys(fresh.res.json()).sort(), 'same body shape');
  t.equal(existing.res.json().status, fresh.res.json().status);
  t.ok(existing.res.headers.location);

  const [mail] = await h.waitForMails(email);
  t.equal(mail!.Subject, 'Your AshChat account');
  t.notMatch(mail!.Text, /^\s+\d{6}\s*$/m, 'the mail carries no code');
  await h.waitForStatus(app, existing.id, 'awaiting-code');

  const attempt = await verify(app, existing.id, '123456');
  t.equal(attempt.statusCode, 422, 'any code is simply wrong');
  t.same(attempt.json().details, { attemptsLeft: 4 });
  t.equal(await h.db.collection('users').countDocuments({ emailNormalized: email.toLowerCase() }), 1);
});
