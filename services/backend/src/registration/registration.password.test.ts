import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { hash } from '@node-rs/argon2';
import { createPasswordHasher } from '../security/password.hasher.js';
import { trustTestDevice } from '../users/user.test-support.js';
import { codeFromMail, HARNESS_DEVICE_ID, register, registrationBody, signIn, startRegistrationHarness, uniqueEmail, verify, type RegistrationHarness } from './registration.harness.test-support.js';

// Through the real app: the verifier in-process, an SMTP sink, MongoDB (FerretDB), Redis, RabbitMQ.

/** Registers `email` with `password` and submits the mailed code: the account exists afterwards. */
async function createAccount(t: Test, h: RegistrationHarness, app: FastifyInstance, email: string, password: string): Promise<void> {
  const { res, id } = await register(app, registrationBody(email, { password }));
  t.equal(res.statusCode, 202, res.body);
  const [mail] = await h.waitForMails(email);
  t.equal((await verify(app, id, codeFromMail(mail!))).statusCode, 200, 'the account is created');
}

t.test('obviously weak passwords are refused at registration with the rule that refused them', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const email = uniqueEmail('weak');
  const cases: Array<[string, string, string]> = [
    ['white space only', ' '.repeat(12), 'whitespace'],
    ['one character', 'a'.repeat(12), 'one-character'],
    ['one decomposed character (NFD)', 'é'.repeat(12).normalize('NFD'), 'one-character'],
    ['the e-mail address', email.toUpperCase(), 'email'],
    ['the local part of the address', email.slice(0, email.indexOf('@')), 'email'],
    ['a common password', 'QwertyUiop', 'common'],
  ];
  for (const [label, password, reason] of cases) {
    const { res } = await register(app, registrationBody(email, { password }));
    t.equal(res.statusCode, 400, `${label}: 400`);
    t.match(res.json(), { code: 'WEAK_PASSWORD', details: { reason } }, `${label}: WEAK_PASSWORD, ${reason}`);
  }
  t.equal(await h.db.collection('registrations').countDocuments({ 'index.emailNormalized': email.toLowerCase() }), 0, 'no registration started');
  t.equal((await register(app, registrationBody(email))).res.statusCode, 202, 'a decent password for the same address is accepted');
});

t.test('the password is compared in NFC: registered in one normal form, signed in with the other', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const nfc = 'Crème brûlée à Noël, 2026';
  const nfd = nfc.normalize('NFD');
  t.not(nfc, nfd);

  const a = uniqueEmail('nfd-first');
  await createAccount(t, h, app, a, nfd);
  t.equal((await signIn(app, a, nfc)).statusCode, 201, 'registered NFD, signed in NFC');
  t.equal((await signIn(app, a, nfd)).statusCode, 201, 'and NFD still');

  const b = uniqueEmail('nfc-first');
  await createAccount(t, h, app, b, nfc);
  t.equal((await signIn(app, b, nfd)).statusCode, 201, 'registered NFC, signed in NFD');
  t.equal((await signIn(app, b, 'Creme brulee a Noel, 2026')).statusCode, 401, 'without the accents it is a wrong password');
});

t.test('sign-in applies no password rule, and accepts hashes made before normalisation', async (t) => {
  const h = await startRegistrationHarness(t);
  const app = await h.startApp();
  const cheap = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
  // Accounts as the code before this change could have stored them.
  const account = async (email: string, passwordHash: string): Promise<void> => {
    const inserted = await app.users.repository.insert(
      { _id: randomUUID(), email, emailNormalized: email.toLowerCase(), nickname: 'Old', preferredLanguage: 'en', passwordHash, registrationId: randomUUID() },
      new Date(),
    );
    t.equal(inserted.outcome, 'created');
    if (inserted.outcome === 'created') await trustTestDevice(app, inserted.user._id, HARNESS_DEVICE_ID);
  };

  const weak = uniqueEmail('legacy-weak');
  await account(weak, await createPasswordHasher(cheap).hash('qwertyuiop'));
  t.equal((await signIn(app, weak, 'qwertyuiop')).statusCode, 201, 'a common password set before the rule still signs in');

  const raw = uniqueEmail('legacy-nfd');
  const nfd = 'Crème brûlée à Noël, 2026'.normalize('NFD');
  await account(raw, await hash(nfd, { algorithm: 2, ...cheap }));
  t.equal((await signIn(app, raw, nfd)).statusCode, 201, 'a hash of the raw NFD bytes: the form the user always typed signs in');
  t.equal((await signIn(app, raw, 'Creme brulee a Noel, 2026')).statusCode, 401, 'a wrong password does not');
});
