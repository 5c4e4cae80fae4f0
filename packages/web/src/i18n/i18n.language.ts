import { LANGUAGES, type Language } from './messages.define.js';

/**
 * The first candidate we have a translation for, by its primary subtag (`de-AT` → `de`);
 * candidates are the user's preferredLanguage, then the browser's languages. English otherwise.
 */
export function resolveLanguage(candidates: readonly (string | null | undefined)[]): Language {
  for (const candidate of candidates) {
    const primary = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    const found = LANGUAGES.find((language) => language === primary);
    if (found) return found;
  }
  return 'en';
}

/** Replaces `{name}` placeholders; unknown placeholders stay visible so a missing parameter is noticed. */
export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
