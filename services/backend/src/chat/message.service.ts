import { ObjectId } from 'mongodb';
import type { ChatEvent, MessagePage, MessageView, ReadState, SendMessageBody } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import { decodeMessageCursor, encodeMessageCursor } from './chat.cursor.js';
import { markUnreacted, toMessageView } from './chat.view.js';
import { createAccessReader } from './conversation.access.js';
import type { ChatServiceDeps } from './conversation.service.js';
import type { MessageDocument } from './message.repository.js';
import { findMentions } from './mention.resolver.js';
import { quoteOf, readQuotedStates } from './message.quote.js';
import { detectMessageLanguage } from './message.language.js';
import { readTranslationReader, translationFor } from './message.translation.js';

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

  /** The members `body` names as `@nickname` (one nickname read, only when the body has an `@`). */
  async function mentionsIn(body: string, members: readonly string[]): Promise<string[]> {
    if (!/[@＠]/.test(body)) return [];
    return findMentions(body, await deps.users.nicknamesOf(members));
  }

  /** The send's uploads, claimed for it (files/); none without attachmentIds. */
  async function claimAttachments(userId: string, conversationId: ObjectId, body: SendMessageBody): Promise<{ attachments?: MessageView['attachments'] }> {
    const ids = body.attachmentIds ?? [];
    if (ids.length === 0) return {};
    if (!deps.attachments) throw new AppError('ATTACHMENT_UNAVAILABLE');
    return { attachments: await deps.attachments.claim(userId, conversationId, body.clientMessageId, ids) };
  }

  /** The body's language: the sender's (cached profile read) unless detected otherwise (message.language.ts). */
  async function languageOf(userId: string, text: string): Promise<string | null> {
    return detectMessageLanguage(text, (await deps.users.translationProfilesOf([userId])).get(userId)?.preferredLanguage);
  }

  /** Asks for translations once the message is stored and announced; never holds up the caller. */
  async function requestTranslations(message: MessageDocument, members: readonly string[], senderId: string): Promise<void> {
    await deps.translation?.requested({ message, members, senderId });
  }

  /** The view of one message with its quote resolved (the original may have been deleted since). */
  async function viewOf(message: MessageDocument): Promise<MessageView> {
    return toMessageView(message, await readQuotedStates(messages, [message]));
  }

  return {
    async send(userId, conversationId, body) {
      // The schema lets either go (a message of attachments alone); one of them it must have.
      if (body.body === undefined && !body.attachmentIds?.length) {
        throw new AppError('VALIDATION_FAILED', { details: [{ in: 'body', path: '/body', message: 'must have body unless attachmentIds is given' }] });
      }
      const text = body.body ?? '';
      const { conversation, members } = await access(userId, conversationId);
      // Direct conversations only (groups are unaffected by blocks); one `_id` lookup per direct send.
      const other = conversation.type === 'direct' ? members.find((id) => id !== userId) : undefined;
      if (other !== undefined && (await deps.blocks?.blockedBetween(userId, other))) throw new AppError('USER_BLOCKED');
      await deps.indexesReady?.();
      const original = body.replyTo === undefined ? null : await messages.findById(conversation._id, new ObjectId(body.replyTo));
      if (body.replyTo !== undefined && !original) throw new AppError('REPLY_TARGET_NOT_FOUND');
      const { outcome, message } = await messages.insert(
        {
          conversationId: conversation._id,
          senderId: userId,
          clientMessageId: body.clientMessageId,
          body: text,
          replyTo: original ? quoteOf(original) : null,
          mentions: await mentionsIn(text, members),
          ...(await claimAttachments(userId, conversation._id, body)),
          ...(await languageOf(userId, text).then((language) => (language ? { language } : {}))),
        },
        clock(),
      );
      // With the stored time, also on a retry: completes a send that stopped before this write.
      await conversations.touch(conversation._id, message.createdAt);
      const view = toMessageView(message);
      // Also on a retry: the first attempt may have stopped before announcing (receivers drop duplicates by id).
      await announce(members, { type: 'message.new', conversationId: view.conversationId, message: view });
      // Ids only, for the missed-message digest (digest/); like the announcement, also on a retry.
      await deps.messageEvents?.published({
        messageId: view.id,
        conversationId: view.conversationId,
        senderId: userId,
        recipientIds: members.filter((id) => id !== userId),
        mentionedUserIds: message.mentions ?? [],
        at: message.createdAt.getTime(),
      });
      // Also on a retry: targets already translated for this text are left out (translation/).
      await requestTranslations(message, members, userId);
      return { created: outcome === 'created', message: view };
    },

    async list(userId, conversationId, before, limit) {
      const beforeId = before === undefined ? undefined : decodeMessageCursor(before);
      const { conversation } = await access(userId, conversationId);
      const page = await messages.page(conversation._id, beforeId, limit + 1);
      const shown = page.slice(0, limit);
      const last = shown.at(-1);
      const quoted = await readQuotedStates(messages, shown);
      // One profile read per page, not per message.
      const reader = await readTranslationReader(deps.users, userId);
      const items = shown.map((m) => markUnreacted({ ...toMessageView(m, quoted), translation: translationFor(m, reader) }, m));
      return { items, nextCursor: page.length > limit && last ? encodeMessageCursor(last._id) : null };
    },

    async edit(userId, conversationId, messageId, body) {
      const { message, members } = await ownMessage(userId, conversationId, messageId);
      const edited = await messages.edit(message.conversationId, message._id, body, clock(), await mentionsIn(body, members), await languageOf(userId, body));
      if (!edited) throw new AppError('MESSAGE_DELETED');
      const view = await viewOf(edited);
      await announce(members, { type: 'message.edited', conversationId: view.conversationId, message: view });
      // A new text version: the old translations no longer apply.
      await requestTranslations(edited, members, userId);
      return view;
    },

    async remove(userId, conversationId, messageId) {
      const { message, members } = await ownMessage(userId, conversationId, messageId);
      const deleted = await messages.softDelete(message.conversationId, message._id, clock());
      if (!deleted) throw new AppError('MESSAGE_NOT_FOUND');
      // Also on a repeated delete: finishes deleting files a first attempt left behind.
      await deps.attachments?.removeAll(message.attachments ?? []);
      const view = await viewOf(deleted);
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
        unreadMentionCount: await messages.countUnreadMentions(conversation._id, userId, marker),
      };
    },
  };
}
