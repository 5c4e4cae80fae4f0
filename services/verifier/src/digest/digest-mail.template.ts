import type { DigestMailRequest } from '@ashchat/contracts';
import { render, resolveMailLanguage, webBase, type Block, type RenderedMail } from '../verification/mail.templates.js';
import { DIGEST_MAIL_TEXTS } from './digest-mail.locales.js';

export type DigestMailInput = Pick<DigestMailRequest, 'preferredLanguage' | 'nickname' | 'conversations' | 'moreConversations'> & { publicWebUrl: string };

/** The settings page, where the mail is turned off (`digestEmails`). */
export const digestSettingsLink = (publicWebUrl: string): string => `${webBase(publicWebUrl)}/settings`;

/**
 * The missed-message mail: per conversation its name, unread and mention counts and the latest
 * excerpts, then links to the app and to the opt-out. Text and HTML from the same blocks; every
 * line (names and excerpts are user text) is escaped by `render`.
 */
export function renderDigestMail(i: DigestMailInput): RenderedMail {
  const language = resolveMailLanguage(i.preferredLanguage);
  const t = DIGEST_MAIL_TEXTS[language];
  const unread = i.conversations.reduce((sum, c) => sum + c.unreadCount, 0);
  const blocks: Block[] = [
    { kind: 'p', text: t.greeting(i.nickname) },
    { kind: 'p', text: t.intro },
  ];
  for (const c of i.conversations) {
    blocks.push({ kind: 'p', text: t.conversation(c.name, c.unreadCount, c.mentionCount) });
    for (const e of c.excerpts) blocks.push({ kind: 'p', text: t.excerpt(e.sender, e.text) });
  }
  if (i.moreConversations > 0) blocks.push({ kind: 'p', text: t.more(i.moreConversations) });
  blocks.push({ kind: 'p', text: t.open }, { kind: 'link', href: `${webBase(i.publicWebUrl)}/` }, { kind: 'p', text: t.optOut }, { kind: 'link', href: digestSettingsLink(i.publicWebUrl) });
  return render(language, t.subject(unread), blocks);
}
