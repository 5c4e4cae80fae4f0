import { randomUUID } from 'node:crypto';
import { codeDigest, MAX_CODE_ATTEMPTS } from '@ashchat/contracts';
import t from 'tap';
import { codeFromMail, containsCode, eventually, SECRET, startHarness, storedValues } from './verification.test-support.js';
import { unguessableDigest } from './verification-code.js';
import { verificationKey } from './verification.store.js';

const h = await startHarness({ smtp: 'sink' });
t.teardown(() => h.close());

const codes: string[] = [];
const digests: string[] = [];
/** Requests a code through the queue and reads it from the captured mail. */
async function registerAndReadCode(over: Parameters<typeof h.creationRequest>[0] = {}) {
  const req = h.creationRequest(over);
  const reply = await h.create(req);
  const mails = await eventually('the verification mail', () => {
    const m = h.mailsTo(req.email);
    return m.length > 0 ? m : undefined;
  });
  const mail = mails.at(-1)!;
  const code = codeFromMail(mail.text);
  const digest = codeDigest(SECRET, req.registrationId, code);
  codes.push(code);
  digests.push(digest);
  return { req, reply, mail, code, digest };
}

t.test('creation → mail with the code → confirm with its digest → confirmed, entry deleted', async (t) => {
  const { req, reply, mail, code, digest } = await registerAndReadCode({ preferredLanguage: 'de-CH' });
  t.same(reply, { registrationId: req.registrationId, requestId: req.requestId, outcome: 'code-sent' });
  t.equal(mail.subject, 'Bestätige deine E-Mail-Adresse für AshChat', 'German mail for de-CH');
  t.match(mail.html, code, 'the HTML part shows the code too');
  t.match(mail.text, `https://chat.example/verify?registration=${req.registrationId}`);
  const entry = await h.redis.hgetall(verificationKey(req.registrationId));
  t.match(entry, { digest, attemptsLeft: String(MAX_CODE_ATTEMPTS), requestId: req.requestId, status: 'sent' }, 'only the digest is stored');

  const confirmed = await h.confirm(req.registrationId, digest);
  t.match(confirmed, { registrationId: req.registrationId, outcome: 'confirmed', attemptsLeft: MAX_CODE_ATTEMPTS });
  t.equal(await h.redis.exists(verificationKey(req.registrationId)), 0, 'entry deleted');
});

t.test('five wrong codes: invalid 4, 3, 2, 1, then locked — also for the right code', async (t) => {
  const { req, digest } = await registerAndReadCode();
  const outcomes = [];
  for (let i = 0; i < 5; i++) {
    const r = await h.confirm(req.registrationId, unguessableDigest());
    outcomes.push(`${r.outcome}:${r.attemptsLeft}`);
  }
  t.same(outcomes, ['invalid:4', 'invalid:3', 'invalid:2', 'invalid:1', 'locked:0']);
  t.match(await h.confirm(req.registrationId, digest), { outcome: 'locked', attemptsLeft: 0 });
});

t.test('resend: the old code stops working, the new one works, the counter is kept', async (t) => {
  const first = await registerAndReadCode();
  const { registrationId } = first.req;
  t.match(await h.confirm(registrationId, unguessableDigest()), { outcome: 'invalid', attemptsLeft: 4 });

  const resend = { ...first.req, requestId: randomUUID() };
  t.match(await h.create(resend), { outcome: 'code-sent', requestId: resend.requestId });
  const mails = await eventually('the second mail', () => (h.mailsTo(resend.email).length === 2 ? h.mailsTo(resend.email) : undefined));
  const newCode = codeFromMail(mails[1]!.text);
  codes.push(newCode);
  t.equal(await h.redis.hget(verificationKey(registrationId), 'attemptsLeft'), '4', 'the resend kept the counter');
  // 1 in 10^6: the fresh code equals the old one, and the old-code check below would be meaningless.
  if (newCode !== first.code) {
    t.match(await h.confirm(registrationId, first.digest), { outcome: 'invalid', attemptsLeft: 3 }, 'old code invalid');
  }
  const newDigest = codeDigest(SECRET, registrationId, newCode);
  digests.push(newDigest);
  t.match(await h.create(first.req), { outcome: 'code-sent' }, 'a late repeat of the first request…');
  t.equal(h.mailsTo(resend.email).length, 2, '…sends no mail');
  t.match(await h.confirm(registrationId, newDigest), { outcome: 'confirmed' }, '…and the new code stays valid');
});

t.test('expired entry → expired; creation after the deadline → failed without a mail', async (t) => {
  const { req, digest } = await registerAndReadCode({ expiresAt: Date.now() + 1_500 });
  await eventually('the entry to expire', async () => ((await h.redis.exists(verificationKey(req.registrationId))) === 0 ? true : undefined));
  t.same(await h.confirm(req.registrationId, digest, 'late'), { registrationId: req.registrationId, requestId: 'late', outcome: 'expired', attemptsLeft: 0 });

  const late = h.creationRequest({ expiresAt: Date.now() - 1 });
  t.match(await h.create(late), { outcome: 'failed', reason: 'deadline-passed' });
  t.equal(h.mailsTo(late.email).length, 0, 'no mail for a code that is already dead');
  t.equal(await h.redis.exists(verificationKey(late.registrationId)), 0);
});

t.test('the same creation request delivered twice sends one mail and answers code-sent twice', async (t) => {
  const req = h.creationRequest();
  const replies = await Promise.all([h.create(req), h.create(req)]);
  t.same(replies.map((r) => r.outcome), ['code-sent', 'code-sent']);
  // Mails are sent before the reply, so both replies being in means every mail that will come is in.
  t.equal(h.mailsTo(req.email).length, 1, 'exactly one mail');
  t.match(await h.create(req), { outcome: 'code-sent' }, 'a later repeat as well');
  t.equal(h.mailsTo(req.email).length, 1, 'still one mail');
  codes.push(codeFromMail(h.mailsTo(req.email)[0]!.text));
});

t.test('the same confirm request delivered twice gets the same answer and counts once', async (t) => {
  const { req, digest } = await registerAndReadCode();
  const wrong = unguessableDigest();
  const twice = await Promise.all([h.confirm(req.registrationId, wrong, 'c-1'), h.confirm(req.registrationId, wrong, 'c-1')]);
  t.same(twice.map((r) => `${r.outcome}:${r.attemptsLeft}`), ['invalid:4', 'invalid:4']);
  t.equal(await h.redis.hget(verificationKey(req.registrationId), 'attemptsLeft'), '4', 'decremented once');

  t.match(await h.confirm(req.registrationId, digest, 'c-2'), { outcome: 'confirmed', attemptsLeft: 4 });
  t.match(await h.confirm(req.registrationId, digest, 'c-2'), { outcome: 'confirmed', attemptsLeft: 4 }, 'repeat after deletion: same answer');
});

t.test('existing account: a hint mail without a code, and confirm attempts behave like wrong codes', async (t) => {
  const req = h.creationRequest({ accountExists: true, preferredLanguage: 'fr-CA' });
  t.match(await h.create(req), { outcome: 'code-sent' });
  const [mail] = await eventually('the account-exists mail', () => (h.mailsTo(req.email).length ? h.mailsTo(req.email) : undefined));
  t.equal(mail!.subject, 'Votre compte AshChat');
  t.match(mail!.text, 'https://chat.example/password-reset');
  t.notMatch(mail!.text, /(^|\D)\d{6}(\D|$)/, 'no code in the mail');
  const entry = await h.redis.hgetall(verificationKey(req.registrationId));
  t.match(entry.digest, /^[0-9a-f]{64}$/, 'an unguessable digest is pending, as for a real code');
  t.equal(entry.attemptsLeft, '5');
  const outcomes = [];
  for (let i = 0; i < 5; i++) outcomes.push((await h.confirm(req.registrationId, unguessableDigest())).outcome);
  t.same(outcomes, ['invalid', 'invalid', 'invalid', 'invalid', 'locked']);
});

t.test('nothing secret in clear: no code in Redis, no code or digest in the logs', async (t) => {
  t.ok(codes.length >= 6, `${codes.length} codes were issued`);
  const stored = await storedValues(h);
  t.ok(stored.length > 0, 'there is stored state to scan');
  for (const code of codes) {
    t.notOk(stored.some((v) => containsCode(v, code)), `code #${codes.indexOf(code)} not in Redis`);
    t.notOk(h.logs.some((e) => containsCode(e.line, code)), `code #${codes.indexOf(code)} not in the logs`);
  }
  for (const digest of digests) t.notOk(h.logs.some((e) => e.line.includes(digest)), 'digest not in the logs');
  t.notOk(h.logs.some((e) => e.line.includes(SECRET)), 'secret not in the logs');
  t.ok(h.logs.some((e) => e.line.includes('"outcome":"confirmed"')), 'outcomes are logged');
});
