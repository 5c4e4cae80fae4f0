import type { Language } from '../i18n/i18n.js';

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

/** The language choices: the translated ones, plus the account's own tag when it is another one (kept, not lost on save). */
export function languageChoices(translated: readonly string[], current: string | undefined): { value: string; translated: boolean }[] {
  const choices = translated.map((value) => ({ value, translated: true }));
  if (current && !translated.includes(current)) choices.push({ value: current, translated: false });
  return choices;
}

/** The fields of a profile form that differ from the account (PATCH sends only those; an empty body is refused). */
export function profileChanges(
  me: { nickname: string; preferredLanguage: string; digestEmails?: boolean },
  form: { nickname: string; preferredLanguage: string; digestEmails?: boolean },
): { nickname?: string; preferredLanguage?: string; digestEmails?: boolean } {
  const changes: { nickname?: string; preferredLanguage?: string; digestEmails?: boolean } = {};
  const nickname = form.nickname.trim();
  if (nickname !== me.nickname) changes.nickname = nickname;
  if (form.preferredLanguage !== me.preferredLanguage) changes.preferredLanguage = form.preferredLanguage;
  if (form.digestEmails !== undefined && form.digestEmails !== (me.digestEmails ?? true)) changes.digestEmails = form.digestEmails;
  return changes;
}
