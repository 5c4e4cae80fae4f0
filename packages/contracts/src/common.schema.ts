import { Type, type Static } from '@sinclair/typebox';

export const Uuid = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  description: 'Lower-case UUID',
});
export const Email = Type.String({
  minLength: 3,
  maxLength: 254,
  // Deliberately simple: the mail round trip is the real check.
  pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
  description: 'E-mail address',
});
// Any script is welcome; control characters and markup-ish characters are not. No `\p{…}` classes:
// TypeBox compiles patterns without the `u` flag, where they would not mean what they say.
export const Nickname = Type.String({
  minLength: 2,
  maxLength: 32,
  pattern: '^[^\\s<>&"\\\\/\\u0000-\\u001f\\u007f]([^<>&"\\\\/\\u0000-\\u001f\\u007f]*[^\\s<>&"\\\\/\\u0000-\\u001f\\u007f])?$',
});
/** BCP 47-ish language tag: `en`, `de`, `pt-BR`. Unknown languages fall back to English. */
export const LanguageTag = Type.String({ pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$', maxLength: 35 });
/** Milliseconds since the Unix epoch. */
export const EpochMs = Type.Integer({ minimum: 0 });
export const IsoDateTime = Type.String({ format: 'date-time' });

export type Uuid = Static<typeof Uuid>;
