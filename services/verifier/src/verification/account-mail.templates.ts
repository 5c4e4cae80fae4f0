import type { AccountNoticeKind } from '@ashchat/contracts';
import { MAIL_LOCALES, type MailLanguage } from './mail.locales.js';
import { accountLinks, render, resolveMailLanguage, webBase, type RenderedMail } from './mail.templates.js';

/**
 * Links of the account-lifecycle mails. Like the verification link they carry only ids, never a
 * code: URLs end up in proxy and browser logs, and mail scanners follow links.
 */
export function passwordResetLink(publicWebUrl: string, resetId: string): string {
  return `${webBase(publicWebUrl)}/password-reset?reset=${encodeURIComponent(resetId)}`;
}

/** `denialToken` = challengeDenialToken(secret, challengeId): it can only refuse this challenge. */
export function deviceDenialLink(publicWebUrl: string, challengeId: string, denialToken: string): string {
  return `${webBase(publicWebUrl)}/device-challenge?challenge=${encodeURIComponent(challengeId)}&deny=${encodeURIComponent(denialToken)}`;
}

/** A UTC date-time as the language writes it, e.g. "December 5, 2026 at 4:18 PM UTC". */
export function formatUtcTime(language: MailLanguage, epochMs: number): string {
  const formatted = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(epochMs);
  return `${formatted} UTC`;
}

const validMinutes = (validForMs: number): number => Math.max(1, Math.ceil(validForMs / 60_000));

export interface PasswordResetMailInput {
  preferredLanguage: string;
  /** The account's nickname; absent: a greeting without a name. */
  nickname?: string | undefined;
  code: string;
  resetId: string;
  publicWebUrl: string;
  validForMs: number;
}

export function renderPasswordResetMail(i: PasswordResetMailInput): RenderedMail {
  const language = resolveMailLanguage(i.preferredLanguage);
  const t = MAIL_LOCALES[language].passwordReset;
  return render(language, t.subject, [
    { kind: 'p', text: t.greeting(i.nickname) },
    { kind: 'p', text: t.intro },
    { kind: 'code', text: i.code },
    { kind: 'p', text: t.linkIntro },
    { kind: 'link', href: passwordResetLink(i.publicWebUrl, i.resetId) },
    { kind: 'p', text: t.validity(validMinutes(i.validForMs)) },
    { kind: 'p', text: t.warning },
    { kind: 'p', text: t.ignore },
  ]);
}

export interface DeviceCodeMailInput {
  preferredLanguage: string;
  nickname: string;
  code: string;
  challengeId: string;
  denialToken: string;
  deviceName: string | null;
  requestedAt: number;
  publicWebUrl: string;
  validForMs: number;
}

export function renderDeviceCodeMail(i: DeviceCodeMailInput): RenderedMail {
  const language = resolveMailLanguage(i.preferredLanguage);
  const t = MAIL_LOCALES[language].deviceCode;
  return render(language, t.subject, [
    { kind: 'p', text: t.greeting(i.nickname) },
    { kind: 'p', text: t.intro(t.device(i.deviceName), formatUtcTime(language, i.requestedAt)) },
    { kind: 'code', text: i.code },
    { kind: 'p', text: t.validity(validMinutes(i.validForMs)) },
    { kind: 'p', text: t.warning },
    { kind: 'p', text: t.notMe },
    { kind: 'link', href: deviceDenialLink(i.publicWebUrl, i.challengeId, i.denialToken) },
  ]);
}

export interface AccountNoticeMailInput {
  kind: AccountNoticeKind;
  preferredLanguage: string;
  nickname: string;
  at: number;
  publicWebUrl: string;
}

export function renderAccountNoticeMail(i: AccountNoticeMailInput): RenderedMail {
  const language = resolveMailLanguage(i.preferredLanguage);
  const time = formatUtcTime(language, i.at);
  if (i.kind === 'password-changed') {
    const t = MAIL_LOCALES[language].passwordChanged;
    return render(language, t.subject, [
      { kind: 'p', text: t.greeting(i.nickname) },
      { kind: 'p', text: t.changed(time) },
      { kind: 'p', text: t.sessions },
      { kind: 'p', text: t.notMe },
      { kind: 'link', href: accountLinks(i.publicWebUrl).passwordReset },
    ]);
  }
  const t = MAIL_LOCALES[language].accountDeleted;
  return render(language, t.subject, [
    { kind: 'p', text: t.greeting(i.nickname) },
    { kind: 'p', text: t.deleted(time) },
    { kind: 'p', text: t.messages },
    { kind: 'p', text: t.again },
  ]);
}
