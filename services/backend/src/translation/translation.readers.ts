import type { UserRepository } from '../users/user.repository.js';
import { translationLanguageOf } from '../chat/message.language.js';

/** The members who want a message in another language, by that language (one `_id $in` read). */
export async function readersByLanguage(
  users: Pick<UserRepository, 'translationProfilesOf'>,
  members: readonly string[],
  o: { senderId: string; source: string },
): Promise<Map<string, string[]>> {
  const others = [...new Set(members)].filter((id) => id !== o.senderId);
  const profiles = await users.translationProfilesOf(others);
  const byLanguage = new Map<string, string[]>();
  for (const [userId, p] of profiles) {
    const language = translationLanguageOf(p.preferredLanguage);
    if (!p.autoTranslate || !language || language === o.source) continue;
    byLanguage.set(language, [...(byLanguage.get(language) ?? []), userId]);
  }
  return byLanguage;
}
