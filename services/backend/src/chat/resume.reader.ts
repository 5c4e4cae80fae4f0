import { ObjectId } from 'mongodb';
import type { MessageView } from '@ashchat/contracts';
import type { ConversationRepository } from './conversation.repository.js';
import type { MessageDocument, MessageRepository } from './message.repository.js';
import { toMessageView } from './chat.view.js';
import { readQuotedStates } from './message.quote.js';
import { readTranslationReader, translationFor } from './message.translation.js';
import type { UserRepository } from '../users/user.repository.js';

export interface ResumeCursorInput {
  conversationId: string;
  /** The newest message the client has; null (or absent) = none yet: from the conversation's start. */
  lastMessageId: string | null;
  /** The position up to which the client has every message (message.position.ts); given, it wins over the id. */
  lastSeq?: number;
}

export interface ResumeResult {
  /** Missed messages: conversations in cursor order, each oldest first, none twice. */
  messages: MessageView[];
  /** Conversations with more missed messages than were returned: the client pages the rest over REST. */
  incomplete: string[];
  /**
   * Cursors left out: malformed ids, conversations that do not exist or the user is not (or no
   * longer) a member of. One such cursor does not spoil the rest of a reconnect; nothing of those
   * conversations is read, so nothing about them leaks.
   */
  skipped: string[];
}

export interface ResumeReader {
  missed(userId: string, cursors: readonly ResumeCursorInput[], limitPerConversation: number, maxTotal?: number): Promise<ResumeResult>;
}

const OBJECT_ID = /^[0-9a-f]{24}$/;
/** Below every id this process generates: "after nothing" is the whole conversation. */
const BEFORE_ALL = new ObjectId('000000000000000000000000');
/** Reads in flight at once: a 500-cursor resume must not take the whole MongoDB pool. */
const CONCURRENCY = 16;

async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

/**
 * What a reconnecting client missed, straight from the database (the truth, whatever pub/sub lost
 * while it was away): for each conversation it names, the messages after the last one it has,
 * through the (conversationId, _id) index walked forwards. Ids grow with time, so "after" in id
 * order is "sent later"; messages edited or deleted while away come with their current state.
 */
export function createResumeReader(deps: {
  conversations: ConversationRepository;
  messages: MessageRepository;
  /** The reader's language for the messages' translations (one read per resume); absent = none shown. */
  users?: Pick<UserRepository, 'translationProfilesOf'>;
}): ResumeReader {
  return {
    async missed(userId, cursors, limitPerConversation, maxTotal = Number.POSITIVE_INFINITY) {
      const skipped: string[] = [];
      // One cursor per conversation; of repeats the oldest wins, so nothing is missed.
      const byConversation = new Map<string, ObjectId>();
      // Cursors by position: of repeats the lowest wins, as for ids.
      const bySeq = new Map<string, number>();
      for (const { conversationId, lastMessageId, lastSeq } of cursors) {
        if (!OBJECT_ID.test(conversationId) || (lastMessageId != null && !OBJECT_ID.test(lastMessageId))) {
          skipped.push(conversationId);
          continue;
        }
        const after = lastMessageId == null ? BEFORE_ALL : new ObjectId(lastMessageId);
        const seen = byConversation.get(conversationId);
        if (!seen || after.toHexString() < seen.toHexString()) byConversation.set(conversationId, after);
        if (lastSeq !== undefined) bySeq.set(conversationId, Math.min(lastSeq, bySeq.get(conversationId) ?? lastSeq));
      }
      const entries = [...byConversation.entries()];
      const limit = Math.max(0, Math.floor(limitPerConversation));

      const pages = await mapLimited(entries, async ([conversationId, after]) => {
        const id = new ObjectId(conversationId);
        if (!(await deps.conversations.membership(id, userId))) return null;
        // One more than shown tells whether the client has to page the rest.
        const afterSeq = bySeq.get(conversationId);
        return afterSeq === undefined ? deps.messages.after(id, after, limit + 1) : deps.messages.afterPosition(id, afterSeq, limit + 1);
      });

      const docs: MessageDocument[] = [];
      const incomplete: string[] = [];
      let budget = maxTotal;
      entries.forEach(([conversationId], i) => {
        const page = pages[i];
        if (page === null || page === undefined) {
          skipped.push(conversationId);
          return;
        }
        const take = Math.max(0, Math.min(limit, budget, page.length));
        docs.push(...page.slice(0, take));
        budget -= take;
        if (page.length > take) incomplete.push(conversationId);
      });
      // Replies show the originals as they are now (deleted since?): one read for the whole replay.
      const quoted = await readQuotedStates(deps.messages, docs);
      const reader = deps.users && docs.length > 0 ? await readTranslationReader(deps.users, userId) : null;
      const messages: MessageView[] = docs.map((m) => ({ ...toMessageView(m, quoted), translation: translationFor(m, reader) }));
      return { messages, incomplete, skipped };
    },
  };
}
