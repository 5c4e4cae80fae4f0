import t from 'tap';
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { Ajv } from 'ajv';
import { AJV_TEXT_FORMATS, isTextFormat, TEXT_FORMATS, type TextFormat } from './text.rule.js';
import { DisplayNameString, LineString, TextString } from './index.js';

// The three validators in use must agree: Ajv (Fastify, `u` flag, strict like Fastify's), TypeBox's
// compiler (WebSocket frames, queue messages) and TypeBox's Value (tests, tools).
const ajv = new Ajv({ formats: AJV_TEXT_FORMATS });
const schemas: Record<TextFormat, TSchema> = { text: TextString(), line: LineString(), 'display-name': DisplayNameString() };
const verdicts = (format: TextFormat, value: string): [boolean, boolean, boolean] => {
  const schema = schemas[format];
  return [TypeCompiler.Compile(schema).Check(value), Value.Check(schema, value), ajv.validate(schema, value) as boolean];
};
const ALL: TextFormat[] = ['text', 'line', 'display-name'];
const name = (value: string): string => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const cases: Array<{ value: string; accepted: TextFormat[] }> = [
  // What people write: every format takes it.
  { value: 'Ada Lovelace', accepted: ALL },
  { value: 'Zoë Łukasz 李小龍', accepted: ALL },
  { value: 'e\u0301 a\u0308', accepted: ALL }, // combining marks
  { value: 'مرحبا بالعالم', accepted: ALL }, // Arabic (RTL)
  { value: 'שלום', accepted: ALL },
  { value: '😀🚀', accepted: ALL }, // 4-byte (astral) code points: well-formed surrogate pairs
  { value: 'Ada ❤\uFE0F', accepted: ALL }, // a variation selector is a combining mark, not a format character
  // Allowed in free text, not in a name.
  { value: '👨\u200D👩\u200D👧\u200D👦', accepted: ['text', 'line'] }, // ZWJ family emoji
  { value: 'a\u200Fb', accepted: ['text', 'line'] }, // RLM in mixed-direction text
  { value: 'Al\u200Bice', accepted: ['text', 'line'] },
  { value: 'abc\u202Efdp.exe', accepted: ['text', 'line'] },
  { value: '\u2066x\u2069', accepted: ['text', 'line'] },
  { value: 'soft\u00ADhyphen', accepted: ['text', 'line'] },
  { value: '\uFEFFAda', accepted: ['text', 'line'] },
  { value: 'A\u034Fda', accepted: ['text', 'line'] },
  { value: '\u3164', accepted: ['text', 'line'] },
  { value: '\u115F\u1160', accepted: ['text', 'line'] },
  { value: '\uFFA0x', accepted: ['text', 'line'] },
  { value: 'x\u17B4', accepted: ['text', 'line'] },
  { value: '\u2800\u2800', accepted: ['text', 'line'] },
  { value: 'x\u{E0041}', accepted: ['text', 'line'] }, // tag character
  // Line breaks and tabs: text only.
  { value: 'line one\nline two', accepted: ['text'] },
  { value: 'a\r\nb', accepted: ['text'] },
  { value: 'a\tb', accepted: ['text'] },
  { value: 'a\u2028b', accepted: ['text'] },
  // Nowhere.
  { value: 'x\u0000y', accepted: [] },
  { value: '\u0001', accepted: [] },
  { value: 'a\u001Bb', accepted: [] }, // ESC (terminal escapes)
  { value: 'a\u000Bb', accepted: [] },
  { value: 'a\u007Fb', accepted: [] },
  { value: 'a\u0085b', accepted: [] }, // NEL, a C1 control
  { value: 'a\u009Fb', accepted: [] },
  { value: '\uD800', accepted: [] }, // lone high surrogate
  { value: 'a\uDC00', accepted: [] }, // lone low surrogate
  { value: '\uDE00\uD83D', accepted: [] }, // a pair in the wrong order
  { value: '😀\uD83D', accepted: [] },
];

t.test('each format accepts what it should and refuses the rest, in every validator', async (t) => {
  for (const { value, accepted } of cases) {
    for (const format of ALL) {
      const expected = accepted.includes(format);
      t.same(verdicts(format, value), [expected, expected, expected], `${format} ${expected ? 'accepts' : 'refuses'} ${name(value)}`);
    }
  }
});

t.test('the empty string is not the rule’s business (minLength is)', async (t) => {
  for (const format of ALL) t.same(verdicts(format, ''), [true, true, true], format);
});

t.test('Ajv refuses to compile a text-format schema it was not given the formats for', async (t) => {
  t.throws(() => new Ajv().compile(TextString()), /unknown format "text"/);
});

t.test('format names', async (t) => {
  t.same(Object.keys(TEXT_FORMATS).sort(), ['display-name', 'line', 'text']);
  t.ok(isTextFormat('line'));
  t.notOk(isTextFormat('date-time'));
  t.notOk(isTextFormat('toString'), 'no prototype keys');
  t.equal(Type.String({ format: 'line' }).format, LineString().format);
});
