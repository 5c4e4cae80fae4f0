import type { ConversationView } from '@ashchat/contracts';
import { isMessageKey, language, t } from '../i18n/i18n.js';

/** Display helpers of the chat screens: names, titles, times, texts for error codes. */

export type Nicknames = Readonly<Record<string, string>>;

/** A user's nickname as learnt from searches; an unknown one is shown by the start of their id. */
export function nameOf(userId: string, nicknames: Nicknames): string {
  return nicknames[userId] ?? t('chat.user.unknown', { id: userId.slice(0, 6) });
}

/** A group's name, or the other member's nickname for a direct conversation. */
export function conversationTitle(c: ConversationView, nicknames: Nicknames, me: string | null): string {
  if (c.type === 'group') return c.name ?? t('chat.group.untitled');
  const other = c.members.find((id) => id !== me);
  return other ? nameOf(other, nicknames) : t('chat.direct.alone');
}

/** "Bob is typing…", "Bob and Carol are typing…", "3 people are typing…". */
export function typingText(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return t('chat.typing.one', { name: names[0]! });
  if (names.length === 2) return t('chat.typing.two', { a: names[0]!, b: names[1]! });
  return t('chat.typing.many', { count: names.length });
}

/** The catalogue's text for an error code kept by the stores. */
export function codeText(code: string): string {
  const key = `error.${code}`;
  return isMessageKey(key) ? t(key) : t('error.INTERNAL_ERROR');
}

/** A message's time: the clock time today, else the date and time. */
export function timeLabel(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(language.value, options).format(d);
}
