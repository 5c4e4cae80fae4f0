import type { Language } from '../i18n/i18n.js';
import { resolveLanguage } from '../i18n/i18n.language.js';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/**
 * "5 minutes ago" / "vor 5 Minuten" for the last week, "just now" under a minute, the date and time
 * beyond a week (a relative "34 days ago" is harder to place than a date).
 */
export function formatWhen(iso: string, now: number, lang: Language): string {
  const at = Date.parse(iso);
  const ago = now - at;
  if (ago >= 7 * 86_400_000 || Number.isNaN(at)) return formatDate(iso, lang);
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (ago >= ms) return relative.format(-Math.floor(ago / ms), unit);
  }
  return relative.format(0, 'second');
}

/** A date with its time, in the UI language and the browser's time zone. */
export function formatDate(iso: string, lang: Language): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

export interface LanguageChoice {
  value: string;
  /** One of the UI's languages as such (`es`), not a regional or other tag (`es-MX`, `pt-BR`). */
  translated: boolean;
  /** The UI language the tag is shown in (`es-MX` → `es`); null when it has none and gets English. */
  shownIn: Language | null;
}

/** The language choices: the translated ones, plus the account's own tag when it is another one (kept, not lost on save). */
export function languageChoices(translated: readonly Language[], current: string | undefined): LanguageChoice[] {
  const choices: LanguageChoice[] = translated.map((value) => ({ value, translated: true, shownIn: value }));
  if (current && !(translated as readonly string[]).includes(current)) {
    const shownIn = resolveLanguage([current]);
    const primary = current.toLowerCase().split(/[-_]/)[0];
    choices.push({ value: current, translated: false, shownIn: primary === shownIn ? shownIn : null });
  }
  return choices;
}

/** The fields of a profile form that differ from the account (PATCH sends only those; an empty body is refused). */
export function profileChanges(
  me: { nickname: string; preferredLanguage: string; digestEmails?: boolean; autoTranslate?: boolean },
  form: { nickname: string; preferredLanguage: string; digestEmails?: boolean; autoTranslate?: boolean },
): { nickname?: string; preferredLanguage?: string; digestEmails?: boolean; autoTranslate?: boolean } {
  const changes: { nickname?: string; preferredLanguage?: string; digestEmails?: boolean; autoTranslate?: boolean } = {};
  const nickname = form.nickname.trim();
  if (nickname !== me.nickname) changes.nickname = nickname;
  if (form.preferredLanguage !== me.preferredLanguage) changes.preferredLanguage = form.preferredLanguage;
  if (form.digestEmails !== undefined && form.digestEmails !== (me.digestEmails ?? true)) changes.digestEmails = form.digestEmails;
  if (form.autoTranslate !== undefined && form.autoTranslate !== (me.autoTranslate ?? true)) changes.autoTranslate = form.autoTranslate;
  return changes;
}
