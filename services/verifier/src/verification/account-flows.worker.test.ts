import { randomUUID } from 'node:crypto';
import { challengeDenialToken, codeDigest, MAX_CODE_ATTEMPTS } from '@ashchat/contracts';
import t from 'tap';
import { codeFromMail, containsCode, eventually, SECRET, startHarness, storedValues } from './verification.test-support.js';
import { unguessableDigest } from './verification-code.js';
import { verificationKey } from './verification.store.js';
import { formatUtcTime } from './account-mail.templates.js';

const h = await startHarness({ smtp: 'sink' });
t.teardown(() => h.close());

const codes: string[] = [];
const digests: string[] = [];
const tokens: string[] = [];
const mailTo = (email: string, count = 1) =>
  eventually(`${count} mail(s) to ${email}`, () => (h.mailsTo(email).length >= count ? h.mailsTo(email) : undefined));
const outcomesOf = async (flowId: string, n: number) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await h.confirmFlow(flowId, unguessableDigest());
    out.push(`${r.outcome}:${r.attemptsLeft}`);
  }
  return out;
};

t.test('password reset: the code is mailed, confirmable on CONFIRM_CODE_QUEUE, and the entry is gone after', async (t) => {
  const req = h.resetRequest({ preferredLanguage: 'de-CH', nickname: 'Ada' });
  t.same(await h.requestResetCode(req), { flowId: req.resetId, requestId: req.requestId, outcome: 'code-sent' });
  const [mail] = await mailTo(req.email);
  const code = codeFromMail(mail!.text);
  codes.push(code);
  t.equal(mail!.subject, 'Setze dein AshChat-Passwort zurück');
  t.match(mail!.text, 'Hallo Ada,');
  t.match(mail!.text, `https://chat.example/password-reset?reset=${req.resetId}\n`, 'the link names the reset, nothing more');
  t.match(mail!.text, 'Dein Passwort bleibt unverändert.');
  t.match(mail!.text, /\d+ Minuten lang gültig/);
  const digest = codeDigest(SECRET, req.resetId, code);
  digests.push(digest);
  t.match(await h.redis.hgetall(verificationKey(req.resetId)), { digest, status: 'sent', attemptsLeft: String(MAX_CODE_ATTEMPTS) });

  t.same(await h.confirmFlow(req.resetId, digest, 'c1'), { flowId: req.resetId, requestId: 'c1', outcome: 'confirmed', attemptsLeft: MAX_CODE_ATTEMPTS });
  t.equal(await h.redis.exists(verificationKey(req.resetId)), 0, 'a confirmed code is used up');
  t.same(await h.confirmFlow(req.resetId, digest, 'c1'), { flowId: req.resetId, requestId: 'c1', outcome: 'confirmed', attemptsLeft: MAX_CODE_ATTEMPTS }, 'a redelivered confirm gets the same answer');
  t.match(await h.confirmFlow(req.resetId, digest, 'c2'), { outcome: 'expired', attemptsLeft: 0 }, 'a new confirm finds nothing');
});

t.test('password reset without a nickname: a greeting that names nobody', async (t) => {
  const { nickname: _ignored, ...req } = h.resetRequest();
  await h.requestResetCode(req);
  const [mail] = await mailTo(req.email);
  codes.push(codeFromMail(mail!.text));
  t.match(mail!.text, /^Hello,$/m);
});

t.test('password reset for an unknown address: code-sent, no mail, and no code can ever confirm', async (t) => {
  const req = h.resetRequest({ accountExists: false });
  delete req.nickname;
  t.same(await h.requestResetCode(req), { flowId: req.resetId, requestId: req.requestId, outcome: 'code-sent' }, 'the same reply as with an account');
  // Mails go out before the reply: none by now means none at all.
  t.equal(h.mailsTo(req.email).length, 0, 'no mail');
  const entry = await h.redis.hgetall(verificationKey(req.resetId));
  t.match(entry, { digest: /^[0-9a-f]{64}$/, status: 'sent', attemptsLeft: String(MAX_CODE_ATTEMPTS) }, 'pending like a real reset');
  // Well-formed digests of real-looking codes, as the backend would send them.
  const outcomes = [];
  for (const code of ['000000', '123456', '999999', '424242']) {
    const r = await h.confirmFlow(req.resetId, codeDigest(SECRET, req.resetId, code));
    outcomes.push(`${r.outcome}:${r.attemptsLeft}`);
  }
  t.same(outcomes, ['invalid:4', 'invalid:3', 'invalid:2', 'invalid:1']);
  t.same(await outcomesOf(req.resetId, 2), ['locked:0', 'locked:0'], 'then locked');
  t.match(await h.requestResetCode({ ...req, requestId: 'r2' }), { outcome: 'code-sent' }, 'a resend…');
  t.equal(h.mailsTo(req.email).length, 0, '…mails nothing either');
  t.same(await outcomesOf(req.resetId, 1), ['locked:0'], 'and keeps the lock (attempts are kept across resends)');
});

t.test('password reset: duplicate delivery mails once; a resend replaces the code', async (t) => {
  const req = h.resetRequest();
  t.same((await Promise.all([h.requestResetCode(req), h.requestResetCode(req)])).map((r) => r.outcome), ['code-sent', 'code-sent']);
  t.equal(h.mailsTo(req.email).length, 1, 'one mail for one request');
  const first = codeFromMail(h.mailsTo(req.email)[0]!.text);
  await h.requestResetCode({ ...req, requestId: 'r2' });
  const second = codeFromMail((await mailTo(req.email, 2))[1]!.text);
  codes.push(first, second);
  if (first !== second) t.match(await h.confirmFlow(req.resetId, codeDigest(SECRET, req.resetId, first)), { outcome: 'invalid', attemptsLeft: 4 }, 'the old code is dead');
  t.match(await h.confirmFlow(req.resetId, codeDigest(SECRET, req.resetId, second)), { outcome: 'confirmed' });
});

t.test('password reset after its deadline: failed, no mail, no entry', async (t) => {
  const req = h.resetRequest({ expiresAt: Date.now() - 1 });
  t.same(await h.requestResetCode(req), { flowId: req.resetId, requestId: req.requestId, outcome: 'failed', reason: 'deadline-passed' });
  t.equal(h.mailsTo(req.email).length, 0);
  t.equal(await h.redis.exists(verificationKey(req.resetId)), 0);
});

t.test('device: the mail names the device and the time, has the code and a deny link with the challenge token', async (t) => {
  const req = h.deviceRequest({ deviceName: 'Firefox on Linux', requestedAt: Date.UTC(2026, 11, 5, 16, 18), nickname: 'Ada' });
  t.same(await h.requestDeviceCode(req), { flowId: req.challengeId, requestId: req.requestId, outcome: 'code-sent' });
  const [mail] = await mailTo(req.email);
  const code = codeFromMail(mail!.text);
  codes.push(code);
  t.equal(mail!.subject, 'Confirm a sign-in to AshChat from a new device');
  t.match(mail!.text, 'Hello Ada,');
  t.match(mail!.text, '“Firefox on Linux”');
  t.match(mail!.text, 'December 5, 2026 at 4:18 PM UTC');
  t.match(mail!.text, /valid for \d+ minutes/);
  t.match(mail!.text, 'change your password');
  const link = /^(https:\/\/chat\.example\/device-challenge\?\S+)$/m.exec(mail!.text)?.[1];
  t.ok(link, 'a deny link');
  const url = new URL(link!);
  t.same([...url.searchParams.keys()], ['challenge', 'deny'], 'the challenge and the token, nothing else');
  t.equal(url.searchParams.get('challenge'), req.challengeId);
  const token = challengeDenialToken(SECRET, req.challengeId);
  t.equal(url.searchParams.get('deny'), token, 'the token is challengeDenialToken(secret, challengeId)');
  tokens.push(token);
  t.notMatch(link!, code, 'no code in the link');

  const digest = codeDigest(SECRET, req.challengeId, code);
  digests.push(digest);
  t.same(await outcomesOf(req.challengeId, 1), ['invalid:4']);
  t.match(await h.confirmFlow(req.challengeId, digest), { flowId: req.challengeId, outcome: 'confirmed', attemptsLeft: 4 });
});

t.test('device without a name, in French: "un appareil sans nom" and a French time', async (t) => {
  const requestedAt = Date.now();
  const req = h.deviceRequest({ deviceName: null, preferredLanguage: 'fr-BE', requestedAt });
  await h.requestDeviceCode(req);
  const [mail] = await mailTo(req.email);
  codes.push(codeFromMail(mail!.text));
  t.match(mail!.text, 'un appareil sans nom');
  t.match(mail!.text, formatUtcTime('fr', requestedAt));
});

t.test('confirm queue: unknown flow → expired; wrong codes count down to locked, then even the right code is locked', async (t) => {
  const unknown = randomUUID();
  t.same(await h.confirmFlow(unknown, unguessableDigest(), 'x'), { flowId: unknown, requestId: 'x', outcome: 'expired', attemptsLeft: 0 });
  const req = h.deviceRequest();
  await h.requestDeviceCode(req);
  const code = codeFromMail((await mailTo(req.email))[0]!.text);
  codes.push(code);
  const wrong = unguessableDigest();
  const twice = await Promise.all([h.confirmFlow(req.challengeId, wrong, 'same'), h.confirmFlow(req.challengeId, wrong, 'same')]);
  t.same(twice.map((r) => `${r.outcome}:${r.attemptsLeft}`), ['invalid:4', 'invalid:4'], 'one request, counted once');
  t.same(await outcomesOf(req.challengeId, 4), ['invalid:3', 'invalid:2', 'invalid:1', 'locked:0']);
  t.match(await h.confirmFlow(req.challengeId, codeDigest(SECRET, req.challengeId, code)), { outcome: 'locked', attemptsLeft: 0 });
});

t.test('a code of one flow does not confirm another', async (t) => {
  const a = h.resetRequest();
  const b = h.resetRequest();
  await Promise.all([h.requestResetCode(a), h.requestResetCode(b)]);
  const codeA = codeFromMail((await mailTo(a.email))[0]!.text);
  codes.push(codeA, codeFromMail((await mailTo(b.email))[0]!.text));
  const digestA = codeDigest(SECRET, a.resetId, codeA);
  t.match(await h.confirmFlow(b.resetId, digestA), { outcome: 'invalid', attemptsLeft: 4 }, "a's digest is bound to a");
  t.match(await h.confirmFlow(a.resetId, digestA), { outcome: 'confirmed' }, 'and still confirms a');
});

t.test('nothing secret in clear: no code in Redis, no code, digest or denial token in the logs', async (t) => {
  t.ok(codes.length >= 8, `${codes.length} codes were issued`);
  const stored = await storedValues(h);
  t.ok(stored.length > 0, 'there is stored state to scan');
  for (const [i, code] of codes.entries()) {
    t.notOk(stored.some((v) => containsCode(v, code)), `code #${i} not in Redis`);
    t.notOk(h.logs.some((e) => containsCode(e.line, code)), `code #${i} not in the logs`);
  }
  for (const s of [...digests, ...tokens]) t.notOk(h.logs.some((e) => e.line.includes(s)), 'digest / token not in the logs');
  for (const token of tokens) t.notOk(stored.some((v) => v.includes(token)), 'denial token not in Redis');
  t.ok(tokens.length > 0 && digests.length > 0);
  t.notOk(h.logs.some((e) => e.line.includes(SECRET)), 'secret not in the logs');
  t.ok(h.logs.some((e) => e.line.includes('password reset code request handled')), 'the handlers did log');
  t.ok(h.logs.some((e) => e.line.includes('device code request handled')));
});
