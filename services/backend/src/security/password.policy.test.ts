import t from 'tap';
import fc from 'fast-check';
import { CreateRegistrationBody } from '@ashchat/contracts';
import { commonPasswords, parseCommonPasswords } from './common-passwords.js';
import { createPasswordPolicy } from './password.policy.js';

const EMAIL = 'Ada.Lovelace@Example.org';
const policy = createPasswordPolicy(parseCommonPasswords('# a comment\nqwertyuiop\n\n1q2w3e4r5t\n'));
const reason = (password: string, email = EMAIL): string => {
  const verdict = policy.check(password, email);
  return verdict.ok ? 'ok' : verdict.reason;
};

t.test('white space only', async (t) => {
  for (const p of [' '.repeat(10), '\t'.repeat(10), ' \t\n\u00a0\u3000 \t\n\u2003 ']) t.equal(reason(p), 'whitespace', JSON.stringify(p));
});

t.test('one character repeated, by code point or by grapheme, after NFC', async (t) => {
  t.equal(reason('aaaaaaaaaa'), 'one-character');
  t.equal(reason('éééééééééé'.normalize('NFD')), 'one-character', 'decomposed é repeated (two code points each)');
  t.equal(reason('👩‍👩‍👧'.repeat(4)), 'one-character', 'a ZWJ emoji sequence repeated');
  t.equal(reason('🇫🇷'.repeat(5)), 'one-character', 'a flag (two regional indicators) repeated');
  t.equal(reason('aaaaaaaaab'), 'ok', 'two different characters are not this rule');
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), fc.integer({ min: 10, max: 40 }), (c, n) => {
      const r = reason(c.repeat(n));
      return r === 'one-character' || r === 'whitespace';
    }),
  );
});

t.test('the e-mail address or its local part, whatever the case and surrounding space', async (t) => {
  t.equal(reason('ada.lovelace@example.org'), 'email');
  t.equal(reason(' ADA.LOVELACE@EXAMPLE.ORG '), 'email');
  t.equal(reason('Ada.Lovelace'), 'email', 'the local part');
  t.equal(reason('ada.lovelace!'), 'ok', 'something else that contains it');
});

t.test('the common list, compared lower-case', async (t) => {
  t.equal(reason('qwertyuiop'), 'common');
  t.equal(reason('QwertyUIOP'), 'common');
  t.equal(reason('1Q2W3E4R5T'), 'common');
  t.equal(reason('correct horse battery staple'), 'ok');
});

t.test('a decent password passes, in any script', async (t) => {
  for (const p of ['correct horse battery staple', 'Пароль-на-кухне-42', '東京タワーの上で会いましょう', 'café crème brûlée'.normalize('NFD')]) {
    t.same(policy.check(p, EMAIL), { ok: true }, p);
  }
});

t.test('the shipped list: a few hundred to a few thousand entries, none shorter than the contract minimum', async (t) => {
  const list = commonPasswords();
  const minLength = CreateRegistrationBody.properties.password.minLength ?? 0;
  t.ok(minLength >= 8, `the contract minimum (${minLength})`);
  t.ok(list.size >= 300 && list.size <= 5_000, `${list.size} entries`);
  t.ok([...list].every((p) => [...p].length >= minLength && p === p.toLowerCase() && p === p.normalize('NFC') && p.trim() === p));
  for (const p of ['qwertyuiop', '1234567890', 'password123']) t.ok(list.has(p), p);
  t.equal(commonPasswords(), list, 'read once');
});
