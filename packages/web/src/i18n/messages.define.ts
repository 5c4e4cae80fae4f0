/** The languages the client is translated into; anything else falls back to English. */
export const LANGUAGES = ['en', 'de', 'es', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** A table with exactly the English table's keys. */
type Translation<E> = { [K in keyof E]: string };

/**
 * One domain's messages. Every other language's table must have exactly the English keys (the type
 * checks it), so a message added in one language and forgotten in another fails the typecheck.
 * French texts put a no-break space (U+00A0) before : ; ? ! % and inside « », as French typesetting
 * does, so a line never starts with that sign.
 */
export function defineMessages<E extends Record<string, string>>(messages: { en: E } & Record<Exclude<Language, 'en'>, Translation<E>>): { en: E } & Record<Exclude<Language, 'en'>, Translation<E>> {
  return messages;
}
