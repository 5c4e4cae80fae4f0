import type { MessageDocument } from './message.repository.js';

/**
 * What chat asks of machine translation. `translation/` implements it (and reads chat's messages),
 * so chat names the shape here instead of importing it from there.
 */
export interface ChatTranslationPort {
  /**
   * A message was stored (sent, or edited: a new text version) and announced. Asks for the
   * translations its members need, without waiting for the broker; never throws.
   */
  requested(e: { message: MessageDocument; members: readonly string[]; senderId: string }): Promise<void>;
}

/** Who reads: the language a translation is shown in, and whether they want translations at all. */
export interface TranslationReader {
  userId: string;
  /** The reader's preferredLanguage as a TranslationLanguage (null: none we can translate into). */
  language: string | null;
  autoTranslate: boolean;
}
