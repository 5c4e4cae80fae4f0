import { ObjectId } from 'mongodb';
import type { ChatEvent, MessagePage, MessageView, ReadState, SendMessageBody } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import { decodeMessageCursor, encodeMessageCursor } from './chat.cursor.js';
import { toMessageView } from './chat.view.js';
import { createAccessReader } from './conversation.access.js';
import type { ChatServiceDeps } from './conversation.service.js';
import type { MessageDocument } from './message.repository.js';

export interface MessageService {
  /** Sends once per clientMessageId: a retry answers `created: false` with the stored message. */
  send(userId: string, conversationId: string, body: SendMessageBody): Promise<{ created: boolean; message: MessageView }>;
  list(userId: string, conversationId: string, before: string | undefined, limit: number): Promise<MessagePage>;
  edit(userId: string, conversationId: string, messageId: string, body: string): Promise<MessageView>;
  remove(userId: string, conversationId: string, messageId: string): Promise<MessageView>;
  markRead(userId: string, conversationId: string, upTo: string): Promise<ReadState>;
}

export function createMessageService(deps: ChatServiceDeps): MessageService {
  const { conversations, messages } = deps;
  const clock = deps.clock ?? (() => new Date());
  const access = deps.access ?? createAccessReader(conversations);

  /** The event to every member of the conversation (the actor's other devices included). */
  async function announce(members: readonly string[], event: ChatEvent): Promise<void> {
    await deps.events?.publish(members, event);
  }

  /** The caller's own message in a conversation the caller is a member of. */
  async function ownMessage(userId: string, conversationId: string, messageId: string): Promise<{ message: MessageDocument; members: string[] }> {
    const { conversation, members } = await access(userId, conversationId);
    const message = await messages.findById(conversation._id, new ObjectId(messageId));
    if (!message) throw new AppError('MESSAGE_NOT_FOUND');
    if (message.senderId !== userId) throw new AppError('NOT_MESSAGE_SENDER');
    return { message, members };
  }

  return {
    async send(userId, conversationId, body) {
      const { conversation, members } = await access(userId, conversationId);
      await deps.indexesReady?.();
      const { outcome, message } = await messages.insert(
        { conversationId: conversation._id, senderId: userId, clientMessageId: body.clientMessageId, body: body.body },
        clock(),
      );
      // With the stored time, also on a retry: completes a send that stopped before this write.
      await conversations.touch(conversation._id, message.createdAt);
      const view = toMessageView(message);
      // Also on a retry: the first attempt may have stopped before announcing (receivers drop duplicates by id).
      await announce(members, { type: 'message.new', conversationId: view.conversationId, message: view });
      return { created: outcome === 'created', message: view };
    },

    async list(userId, conversationId, before, limit) {
      const beforeId = before === undefined ? undefined : decodeMessageCursor(before);
      const { conversation } = await access(userId, conversationId);
      const page = await messages.page(conversation._id, beforeId, limit + 1);
      const shown = page.slice(0, limit);
      const last = shown.at(-1);
      return { items: shown.map(toMessageView), nextCursor: page.length > limit && last ? encodeMessageCursor(last._id) : null };
    },

    async edit(userId, conversationId, messageId, body) {
      const { message, members } = await ownMessage(userId, conversationId, messageId);
      const edited = await messages.edit(message.conversationId, message._id, body, clock());
      if (!edited) throw new AppError('MESSAGE_DELETED');
      const view = toMessageView(edited);
      await announce(members, { type: 'message.edited', conversationId: view.conversationId, message: view });
      return view;
    },

    async remove(userId, conversationId, messageId) {
      const { message, members } = await ownMessage(userId, conversationId, messageId);
      const deleted = await messages.softDelete(message.conversationId, message._id, clock());
      if (!deleted) throw new AppError('MESSAGE_NOT_FOUND');
      const view = toMessageView(deleted);
      await announce(members, { type: 'message.deleted', conversationId: view.conversationId, message: view });
      return view;
    },

    async markRead(userId, conversationId, upTo) {
      const { conversation, members } = await access(userId, conversationId);
      const message = await messages.findById(conversation._id, new ObjectId(upTo));
      if (!message) throw new AppError('MESSAGE_NOT_FOUND');
      const marker = await conversations.markRead(conversation._id, userId, message._id);
      await announce(members, { type: 'receipt.updated', conversationId: conversation._id.toHexString(), userId, lastReadMessageId: marker.toHexString() });
      return {
        conversationId: conversation._id.toHexString(),
        lastReadMessageId: marker.toHexString(),
        unreadCount: await messages.countUnread(conversation._id, userId, marker),
      };
    },
  };
}
