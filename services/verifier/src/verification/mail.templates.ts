import { FALLBACK_MAIL_LANGUAGE, MAIL_LOCALES, type MailLanguage } from './mail.locales.js';

export interface RenderedMail {
  language: MailLanguage;
  subject: string;
  text: string;
  html: string;
}

/** `de-CH` → `de`; any language without a template → English. */
export function resolveMailLanguage(tag: string): MailLanguage {
  const primary = tag.split('-')[0]?.toLowerCase() ?? '';
  return Object.hasOwn(MAIL_LOCALES, primary) ? (primary as MailLanguage) : FALLBACK_MAIL_LANGUAGE;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * Links carry only the registration id, never the code: URLs end up in proxy and browser logs,
 * and a code in a link would also let a mail scanner that follows links see it.
 */
export function verificationLink(publicWebUrl: string, registrationId: string): string {
  return `${publicWebUrl.replace(/\/+$/, '')}/verify?registration=${encodeURIComponent(registrationId)}`;
}

/** The public web URL without trailing slashes, for appending paths. */
export const webBase = (publicWebUrl: string): string => publicWebUrl.replace(/\/+$/, '');

export function accountLinks(publicWebUrl: string): { signIn: string; passwordReset: string } {
  const base = webBase(publicWebUrl);
  return { signIn: `${base}/login`, passwordReset: `${base}/password-reset` };
}

export type Block = { kind: 'p'; text: string } | { kind: 'code'; text: string } | { kind: 'link'; href: string };

function toText(blocks: readonly Block[]): string {
  return `${blocks.map((b) => (b.kind === 'p' ? b.text : b.kind === 'code' ? `    ${b.text}` : b.href)).join('\n\n')}\n`;
}

function toHtml(language: string, title: string, blocks: readonly Block[]): string {
  const body = blocks
    .map((b) => {
      if (b.kind === 'p') return `<p>${escapeHtml(b.text)}</p>`;
      if (b.kind === 'code') {
        return `<p style="font-size:28px;font-family:monospace;letter-spacing:6px"><strong>${escapeHtml(b.text)}</strong></p>`;
      }
      const href = escapeHtml(b.href);
      return `<p><a href="${href}">${href}</a></p>`;
    })
    .join('\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(language)}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5">',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function render(language: MailLanguage, subject: string, blocks: readonly Block[]): RenderedMail {
  return { language, subject, text: toText(blocks), html: toHtml(language, subject, blocks) };
}

export interface VerificationMailInput {
  preferredLanguage: string;
  nickname: string;
  code: string;
  registrationId: string;
  publicWebUrl: string;
  /** How long the code stays valid; shown rounded up to whole minutes. */
  validForMs: number;
}

export function renderVerificationMail(i: VerificationMailInput): RenderedMail {
  const language = resolveMailLanguage(i.preferredLanguage);
  const t = MAIL_LOCALES[language].verification;
  const minutes = Math.max(1, Math.ceil(i.validForMs / 60_000));
  return render(language, t.subject, [
    { kind: 'p', text: t.greeting(i.nickname) },
    { kind: 'p', text: t.intro },
    { kind: 'code', text: i.code },
    { kind: 'p', text: t.linkIntro },
    { kind: 'link', href: verificationLink(i.publicWebUrl, i.registrationId) },
    { kind: 'p', text: t.validity(minutes) },
    { kind: 'p', text: t.warning },
    { kind: 'p', text: t.ignore },
  ]);
}

export interface AccountExistsMailInput {
  preferredLanguage: string;
  publicWebUrl: string;
}

/**
 * No nickname here: it was typed by whoever registered, who may not own the address, and the
 * account owner should not get a greeting chosen by a stranger.
 */
export function renderAccountExistsMail(i: AccountExistsMailInput): RenderedMail {
  const language = resolveMailLanguage(i.preferredLanguage);
  const t = MAIL_LOCALES[language].accountExists;
  const links = accountLinks(i.publicWebUrl);
  return render(language, t.subject, [
    { kind: 'p', text: t.greeting },
    { kind: 'p', text: t.intro },
    { kind: 'p', text: t.signIn },
    { kind: 'link', href: links.signIn },
    { kind: 'p', text: t.reset },
    { kind: 'link', href: links.passwordReset },
    { kind: 'p', text: t.ignore },
  ]);
}
