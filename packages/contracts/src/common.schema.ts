import { CloneType, Type, type Static, type StringOptions, type TSchema } from '@sinclair/typebox';
import type { TextFormat } from './text.rule.js';
// Registers the text formats with TypeBox: whoever imports a schema below has them.
import './text.rule.js';

/**
 * Strings under the text rule (text.rule.ts). Every string field of every contract is one of these,
 * an enum/const, or pinned by an anchored allow-list pattern (ids, codes, cursors); the contracts'
 * text-rule test walks every exported schema to keep it so.
 */
const ruled =
  (format: TextFormat) =>
  (options: StringOptions = {}) =>
    Type.String({ ...options, format });
/** Multi-line free text (message bodies, descriptions). */
export const TextString = ruled('text');
/** One line of text (e-mail addresses, device names, passwords, tokens, queries). */
export const LineString = ruled('line');
/** A name shown to others (nicknames, group names): one line, nothing invisible or reordering. */
export const DisplayNameString = ruled('display-name');

/** A copy of `schema` that says what it means where it is used (CloneType would keep the old description). */
export const described = <T extends TSchema>(schema: T, description: string): T => CloneType({ ...schema, description });

export const Uuid = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'Lower-case UUID',
  examples: ['3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90'],
});
export const Email = LineString({
  minLength: 3,
  maxLength: 254,
  // Deliberately simple: the mail round trip is the real check.
  pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
  description: 'E-mail address',
  examples: ['ada@example.org'],
});
// Any script is welcome; markup-ish characters and surrounding spaces are not (the pattern), nor
// control or invisible characters (the text rule: the pattern leaves them to it, so they answer
// INVALID_TEXT). No `\p{…}` classes: TypeBox compiles patterns without the `u` flag.
export const Nickname = DisplayNameString({
  minLength: 2,
  maxLength: 32,
  pattern: '^[^\\s<>&"\\\\/]([^<>&"\\\\/]*[^\\s<>&"\\\\/])?$',
  description: 'Display name: 2–32 characters in any script; no markup characters (<>&"\\/), no control characters, no surrounding spaces',
  examples: ['Ada Lovelace'],
});
/** BCP 47-ish language tag: `en`, `de`, `pt-BR`. Unknown languages fall back to English. */
export const LanguageTag = Type.String({
  pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$',
  maxLength: 35,
  description: 'BCP 47 language tag; languages without translations fall back to English',
  examples: ['en', 'pt-BR'],
});
/** The language part of a LanguageTag, lower case: what translation works with (`pt-BR` → `pt`). */
export const TranslationLanguage = Type.String({
  pattern: '^[a-z]{2,3}$',
  description: 'A language as its ISO 639 code, lower case, no region (`en`, `es`, `fr`)',
  examples: ['es'],
});
export type TranslationLanguage = Static<typeof TranslationLanguage>;
export const EpochMs = Type.Integer({ minimum: 0, description: 'Milliseconds since the Unix epoch', examples: [1767225600000] });
export const IsoDateTime = Type.String({
  format: 'date-time',
  description: 'Date and time (RFC 3339, UTC)',
  examples: ['2026-01-01T12:10:00.000Z'],
});

export type Uuid = Static<typeof Uuid>;
