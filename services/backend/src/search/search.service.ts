import type { ObjectId } from 'mongodb';
import type { MessageSearchPage } from '@ashchat/contracts';
import type { AccessReader } from '../chat/conversation.access.js';
import type { ConversationRepository } from '../chat/conversation.repository.js';
import type { MessageRepository } from '../chat/message.repository.js';
import { readQuotedStates } from '../chat/message.quote.js';
import { decodeMessageCursor, encodeMessageCursor } from '../chat/chat.cursor.js';
import { toMessageView } from '../chat/chat.view.js';
import type { MessageSearch } from './message.search.js';
import { searchWords, snippetOf } from './search.words.js';

export interface SearchService {
  /** In one conversation; CONVERSATION_NOT_FOUND unless the caller is a member. */
  inConversation(userId: string, conversationId: string, q: string, before: string | undefined, limit: number): Promise<MessageSearchPage>;
  /** In every conversation the caller is a member of. */
  everywhere(userId: string, q: string, before: string | undefined, limit: number): Promise<MessageSearchPage>;
}

export interface SearchServiceDeps {
  search: MessageSearch;
  conversations: Pick<ConversationRepository, 'conversationIdsOf'>;
  access: AccessReader;
  /** Reads the current state of the messages results quote (a reply's original may be deleted since). */
  messages: Pick<MessageRepository, 'quotedStates'>;
}

export function createSearchService({ search, conversations, access, messages }: SearchServiceDeps): SearchService {
  async function run(conversationIds: readonly ObjectId[], q: string, before: string | undefined, limit: number): Promise<MessageSearchPage> {
    // Refusals first (query, then cursor), before any read.
    const words = searchWords(q);
    const beforeId = before === undefined ? undefined : decodeMessageCursor(before);
    if (conversationIds.length === 0) return { items: [], nextCursor: null, complete: true, scannedUpTo: null };
    const { matches, scannedDownTo } = await search.find({ words, conversationIds, beforeId, limit });
    const shown = matches.slice(0, limit);
    const last = shown.at(-1);
    const quoted = await readQuotedStates(messages, shown);
    const next = matches.length > limit && last ? last._id : scannedDownTo;
    return {
      items: shown.map((m) => ({
        conversationId: m.conversationId.toHexString(),
        // Reactions are per reader and not read here: results show none (the opened chat has them).
        message: toMessageView(m, quoted),
        snippet: snippetOf(m.body ?? '', words),
      })),
      nextCursor: next ? encodeMessageCursor(next) : null,
      complete: scannedDownTo === null,
      scannedUpTo: scannedDownTo?.toHexString() ?? null,
    };
  }

  return {
    async inConversation(userId, conversationId, q, before, limit) {
      searchWords(q);
      const { conversation } = await access(userId, conversationId);
      return run([conversation._id], q, before, limit);
    },
    async everywhere(userId, q, before, limit) {
      searchWords(q);
      return run(await conversations.conversationIdsOf(userId), q, before, limit);
    },
  };
}
