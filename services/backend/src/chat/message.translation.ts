import type { MessageTranslation } from '@ashchat/contracts';
import type { UserRepository } from '../users/user.repository.js';
import type { MessageDocument } from './message.repository.js';
import { hasLetters, translationLanguageOf } from './message.language.js';
import type { TranslationReader } from './translation.ports.js';

/** The text version a message is at (edits so far; absent on messages from before versions = 0). */
export const textVersionOf = (m: Pick<MessageDocument, 'textVersion'>): number => m.textVersion ?? 0;

/**
 * The reader's translation of a message: what is stored for the reader's language and the
 * message's current text (a stale one, of an earlier text, is no translation). Null when none
 * applies: the reader's own message, same language, auto-translation off, deleted, nothing to translate.
 */
export function translationFor(m: MessageDocument, reader: TranslationReader | null | undefined): MessageTranslation | null {
  if (!reader?.language || !reader.autoTranslate || m.senderId === reader.userId) return null;
  if (m.deletedAt || !m.language || m.language === reader.language || !hasLetters(m.body)) return null;
  const stored = m.translations?.[reader.language];
  if (!stored || stored.version !== textVersionOf(m)) return null;
  return {
    language: reader.language,
    status: stored.status,
    text: stored.status === 'translated' ? (stored.text ?? null) : null,
    via: stored.status === 'translated' ? (stored.via ?? []) : [],
    reason: stored.status === 'untranslated' ? (stored.reason ?? null) : null,
  };
}

/** One profile read per page (or resume): who is reading, for translationFor. */
export async function readTranslationReader(users: Pick<UserRepository, 'translationProfilesOf'>, userId: string): Promise<TranslationReader | null> {
  const user = (await users.translationProfilesOf([userId])).get(userId);
  if (!user) return null;
  return { userId, language: translationLanguageOf(user.preferredLanguage), autoTranslate: user.autoTranslate !== false };
}
