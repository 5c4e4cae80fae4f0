import type { UserEvent } from '../user-events/user-events.bus.js';
import type { UserScopedCache } from '../user-events/user-scoped.cache.js';
import type { ConversationService } from './conversation.service.js';

/** Events that change what a user's conversation list shows (a translation: the last message's preview). */
const LIST_CHANGES = new Set(['message.new', 'message.edited', 'message.deleted', 'message.translated', 'conversation.updated', 'mute.updated']);

/**
 * Whether `event`, on `userId`'s channel, changes that user's conversation list: a read receipt
 * changes only the reader's own unread counts.
 */
export function changesInbox(event: UserEvent, userId: string): boolean {
  if (event.type === 'receipt.updated') return (event as { userId?: unknown }).userId === userId;
  return LIST_CHANGES.has(event.type);
}

export interface InboxReader {
  /** A page of the user's conversations: a ConversationPage as UTF-8 JSON. */
  page(userId: string, before: string | undefined, limit: number): Promise<Buffer>;
}

/**
 * The conversation list as clients read it. First pages (what every client opens with, and polls)
 * come from the cache, whose entries the chat events drop; later pages are read once per scroll
 * and always come from the database. Cached as encoded JSON, so a hit costs neither serialisation nor UTF-8 encoding.
 */
export function createInboxReader(o: { conversations: ConversationService; cache?: UserScopedCache<Buffer> }): InboxReader {
  return {
    page(userId, before, limit) {
      const load = async (): Promise<Buffer> => Buffer.from(JSON.stringify(await o.conversations.list(userId, before, limit)));
      return before === undefined && o.cache ? o.cache.get(userId, `first:${limit}`, load) : load();
    },
  };
}
