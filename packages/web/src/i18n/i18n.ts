import { computed, signal } from '@preact/signals';
import { catalogue, type MessageKey } from './catalogue.js';
import { interpolate, resolveLanguage } from './i18n.language.js';
import type { Language } from './messages.define.js';

export type { MessageKey } from './catalogue.js';
export type { Language } from './messages.define.js';
export { LANGUAGES } from './messages.define.js';

/** The signed-in user's preferredLanguage (main.tsx keeps it in step with GET /v1/me); null when signed out. */
export const userLanguage = signal<string | null>(null);

const browserLanguages = (): readonly string[] => (typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]));

/** The language the UI is shown in: the user's, else the browser's, else English. */
export const language = computed<Language>(() => resolveLanguage([userLanguage.value, ...browserLanguages()]));

/**
 * The text of `key` in the current language (English when the language lacks it). With a numeric
 * `count`, `<key>_one` is used when it exists and the language's plural rule calls the count "one":
 * 1 in English, German and Spanish, 0 and 1 in French (so French `_one` texts say `{count}`, not "1").
 * Reading `language` makes components re-render on change.
 */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(language.value, key, params);
}

const plurals = new Map<Language, Intl.PluralRules>();
function pluralRules(lang: Language): Intl.PluralRules {
  let rules = plurals.get(lang);
  if (!rules) plurals.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules;
}

export function translate(lang: Language, key: MessageKey, params?: Record<string, string | number>): string {
  const table: Record<string, string> = catalogue[lang];
  const english: Record<string, string> = catalogue.en;
  const count = params?.count;
  const pluralKey = typeof count === 'number' && pluralRules(lang).select(count) === 'one' ? `${key}_one` : undefined;
  const template = (pluralKey && (table[pluralKey] ?? english[pluralKey])) ?? table[key] ?? english[key] ?? key;
  return interpolate(template, params);
}

/** Whether `key` names a message (for keys built at run time, e.g. from error codes). */
export function isMessageKey(key: string): key is MessageKey {
  return key in catalogue.en;
}
