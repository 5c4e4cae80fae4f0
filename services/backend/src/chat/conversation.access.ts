import { ObjectId } from 'mongodb';
import { AppError } from '../errors/app-error.js';
import type { UserEvent } from '../user-events/user-events.bus.js';
import type { UserScopedCache } from '../user-events/user-scoped.cache.js';
import type { ConversationDocument, ConversationRepository } from './conversation.repository.js';

/** A conversation as a member may act on it: the document and who is in it (for the fan-out). */
export interface ConversationAccess {
  conversation: ConversationDocument;
  members: string[];
}

/** The conversation if `userId` is a member; otherwise CONVERSATION_NOT_FOUND, as if it did not exist. */
export type AccessReader = (userId: string, conversationId: string) => Promise<ConversationAccess>;

/** Membership changes reach every member and every removed one as `conversation.updated`. */
export const changesAccess = (event: UserEvent): boolean => event.type === 'conversation.updated';

/**
 * Who may act on a conversation, asked on every send, read and typing notice. With a cache, the
 * answer is kept per user and conversation until a `conversation.updated` reaches that user (a
 * member added or removed, from any instance): a send then costs its own write and nothing else.
 */
export function createAccessReader(conversations: ConversationRepository, cache?: UserScopedCache<ConversationAccess | null>): AccessReader {
  return async (userId, conversationId) => {
    const id = new ObjectId(conversationId);
    const load = async (): Promise<ConversationAccess | null> => {
      const [membership, conversation, members] = await Promise.all([
        conversations.membership(id, userId),
        conversations.findById(id),
        conversations.membersOf([id]),
      ]);
      if (!membership || !conversation) return null;
      return { conversation, members: members.get(conversationId) ?? [] };
    };
    const access = cache ? await cache.get(userId, conversationId, load) : await load();
    if (!access) throw new AppError('CONVERSATION_NOT_FOUND');
    return access;
  };
}
