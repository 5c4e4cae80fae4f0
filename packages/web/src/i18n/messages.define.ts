/** The languages the client is translated into; anything else falls back to English. */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * One domain's messages. The German table must have exactly the English keys (the type checks it),
 * so a message added in one language and forgotten in the other fails the typecheck.
 */
export function defineMessages<E extends Record<string, string>>(messages: { en: E; de: { [K in keyof E]: string } }): {
  en: E;
  de: { [K in keyof E]: string };
} {
  return messages;
}
