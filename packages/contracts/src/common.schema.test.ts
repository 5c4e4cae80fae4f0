import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { Ajv } from 'ajv';
import { Email, LanguageTag, Nickname } from './common.schema.js';
import { AJV_TEXT_FORMATS } from './text.rule.js';

// Fastify validates with Ajv (unicode regexps), the messaging layer with TypeBox: both must agree.
const ajv = new Ajv({ strict: false, formats: AJV_TEXT_FORMATS });
const both = (schema: Parameters<typeof Value.Check>[0], value: unknown): [boolean, boolean] => [
  Value.Check(schema, value),
  ajv.validate(schema, value) as boolean,
];

t.test('nickname accepts real names in any script', async (t) => {
  for (const name of ['Ada', 'N_N', 'Zoë Smith', 'Łukasz', '李小龍', 'ada.lovelace-1815']) {
    t.same(both(Nickname, name), [true, true], name);
  }
});

t.test('nickname rejects markup, control characters and padding', async (t) => {
  for (const name of ['<b>x</b>', 'a\u0000b', ' ada', 'ada ', 'a', 'x'.repeat(33), 'p{L}&']) {
    t.same(both(Nickname, name), [false, false], JSON.stringify(name));
  }
});

t.test('email and language tag', async (t) => {
  t.same(both(Email, 'ada@example.org'), [true, true]);
  t.same(both(Email, 'not-an-email'), [false, false]);
  t.same(both(LanguageTag, 'de-CH'), [true, true]);
  t.same(both(LanguageTag, 'german!'), [false, false]);
});
