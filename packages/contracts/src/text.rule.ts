import { FormatRegistry } from '@sinclair/typebox';

/**
 * The one rule for what text may contain, whatever the contract (REST, WebSocket, queue, event).
 *
 * It is stated as three named string formats rather than as `pattern`s, because:
 * - the two validators disagree on patterns: Ajv (Fastify) compiles them with the `u` flag, TypeBox
 *   (WebSocket frames, queue messages) without it, so `\p{…}` classes and surrogate handling would
 *   mean different things in each; a format is a plain function, the same code in both;
 * - a format names the rule in the refusal (Ajv keyword `format`, TypeBox `StringFormat`), so a
 *   refusal for forbidden characters can answer INVALID_TEXT while other refusals stay
 *   VALIDATION_FAILED;
 * - an unregistered format fails loudly (Ajv's strict mode refuses to compile the schema, TypeBox
 *   refuses every value), so a validator that forgot the rule cannot silently let text through.
 *
 * The formats (each includes the one before):
 * - `text`: multi-line free text (message bodies, descriptions). Well-formed UTF-16 (no unpaired
 *   surrogate: it cannot be stored or encoded as UTF-8), no NUL (PostgreSQL behind FerretDB refuses
 *   it), no C0 control except TAB, LF and CR, no DEL, no C1 control. Emoji (4-byte, ZWJ sequences),
 *   combining marks, RTL text and directional marks stay allowed: people write them.
 * - `line`: one line (e-mail addresses, device names, passwords, tokens, search queries): `text`
 *   without TAB, LF, CR and the Unicode line/paragraph separators.
 * - `display-name`: a name shown to others as the identity of someone or something (nicknames,
 *   group names): `line` without characters that are invisible or reorder what is shown, with which
 *   "Al\u200Bice" or a bidi override would pass for another name: format characters (Cf: soft
 *   hyphen, zero-width characters, bidi controls, tags, BOM…) and the invisible fillers that are
 *   not Cf (combining grapheme joiner, Hangul fillers, Khmer inherent vowels, braille blank).
 *
 * Length, emptiness and field-specific syntax stay with each field's own keywords. Importing the
 * contracts registers the formats with TypeBox (below); Fastify's Ajv gets `AJV_TEXT_FORMATS`.
 */

// `u` flag: code points, so `\p{Cs}` matches only unpaired surrogates (a pair is one astral code point).
// Control characters and lone combining/joining code points are what these classes are about.
/* eslint-disable no-control-regex, no-misleading-character-class */
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Cs}]/u;
const NOT_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\p{Cs}]/u;
const INVISIBLE = /[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u2800\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]/u;
/* eslint-enable no-control-regex, no-misleading-character-class */

export const TEXT_FORMATS = {
  text: (value: string): boolean => !NOT_TEXT.test(value),
  line: (value: string): boolean => !NOT_LINE.test(value),
  'display-name': (value: string): boolean => !NOT_LINE.test(value) && !INVISIBLE.test(value),
} as const satisfies Record<string, (value: string) => boolean>;

export type TextFormat = keyof typeof TEXT_FORMATS;

export const isTextFormat = (format: unknown): format is TextFormat => typeof format === 'string' && Object.hasOwn(TEXT_FORMATS, format);

/** For Fastify's Ajv: `ajv: { customOptions: { formats: AJV_TEXT_FORMATS } }`. */
export const AJV_TEXT_FORMATS: Record<TextFormat, { type: 'string'; validate: (value: string) => boolean }> = {
  text: { type: 'string', validate: TEXT_FORMATS.text },
  line: { type: 'string', validate: TEXT_FORMATS.line },
  'display-name': { type: 'string', validate: TEXT_FORMATS['display-name'] },
};

// TypeBox's registry is global to the process: every TypeCompiler and Value check sees it.
for (const [name, check] of Object.entries(TEXT_FORMATS)) FormatRegistry.Set(name, check);
