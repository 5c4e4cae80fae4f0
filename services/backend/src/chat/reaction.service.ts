import { ObjectId } from 'mongodb';
import { isSingleEmoji, MAX_REACTION_EMOJIS, type ChatEvent, type MessageReaction, type MessageView } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import { mayHaveReactions } from './chat.view.js';
import type { AccessReader } from './conversation.access.js';
import type { MessageRepository } from './message.repository.js';
import type { MessageService } from './message.service.js';
import type { ReactionRepository } from './reaction.repository.js';

export interface ReactionServiceDeps {
  messages: Pick<MessageRepository, 'findById' | 'markReacted'>;
  reactions: ReactionRepository;
  access: AccessReader;
  events?: { publish(userIds: readonly string[], event: ChatEvent): Promise<void> };
  clock?: () => Date;
  /** Different emojis one message can take (MAX_REACTION_EMOJIS unless a test says otherwise). */
  maxEmojis?: number;
}

export interface ReactionService {
  /** Adds the caller's reaction (a repeat changes nothing); the emoji's state on the message afterwards. */
  react(userId: string, conversationId: string, messageId: string, emoji: string): Promise<MessageReaction>;
  /** Takes the caller's reaction back (none there: nothing happens). */
  unreact(userId: string, conversationId: string, messageId: string, emoji: string): Promise<void>;
  /** The views with their reactions as `userId` sees them (one round of queries for all of them). */
  withReactions<T extends MessageView>(userId: string, views: T[]): Promise<T[]>;
  /** A deleted message's reactions go with it. */
  forgetMessage(messageId: string): Promise<void>;
}

/** Emoji order on a message: by code points, so chips keep their places as counts change. */
const byEmoji = (a: MessageReaction, b: MessageReaction): number => (a.emoji < b.emoji ? -1 : a.emoji > b.emoji ? 1 : 0);

export function createReactionService(deps: ReactionServiceDeps): ReactionService {
  const { messages, reactions, access } = deps;
  const clock = deps.clock ?? (() => new Date());
  const maxEmojis = deps.maxEmojis ?? MAX_REACTION_EMOJIS;

  /** The message to react to: a member's, existing and not deleted. */
  async function target(userId: string, conversationId: string, messageId: string, emoji: string) {
    // The route's schema checks the format too; this holds for any other caller.
    if (!isSingleEmoji(emoji)) throw new AppError('INVALID_EMOJI');
    const { conversation, members } = await access(userId, conversationId);
    const message = await messages.findById(conversation._id, new ObjectId(messageId));
    if (!message) throw new AppError('MESSAGE_NOT_FOUND');
    return { conversation, members, message };
  }

  /** Tells the members that `userId`'s `emoji` on the message was added or taken back, with the new count. */
  async function announce(
    members: readonly string[],
    at: { conversation: { _id: ObjectId }; message: { _id: ObjectId } },
    change: { emoji: string; userId: string; added: boolean; count: number },
  ): Promise<void> {
    await deps.events?.publish(members, {
      type: 'reaction.updated',
      conversationId: at.conversation._id.toHexString(),
      messageId: at.message._id.toHexString(),
      ...change,
    });
  }

  return {
    async react(userId, conversationId, messageId, emoji) {
      const { conversation, members, message } = await target(userId, conversationId, messageId, emoji);
      if (message.deletedAt) throw new AppError('MESSAGE_DELETED');
      const present = await reactions.emojisOn(message._id);
      // Checked before the insert: two new emojis racing for the last slot may both get in (a soft cap).
      if (!present.includes(emoji) && present.length >= maxEmojis) throw new AppError('REACTION_LIMIT_REACHED', { details: { max: maxEmojis } });
      // The marker goes first: a page that read the message without it read before this reaction existed.
      // Read back (FerretDB rewrites whole documents: a concurrent edit may drop it) and set once more.
      if (message.reacted !== true && !(await messages.markReacted(conversation._id, message._id))) await messages.markReacted(conversation._id, message._id);
      const added = await reactions.add({ conversationId: conversation._id, messageId: message._id, userId, emoji, createdAt: clock() });
      const count = await reactions.count(message._id, emoji);
      // Only a change is announced; a repeat (e.g. a retried request) stays quiet.
      if (added) {
        await announce(members, { conversation, message }, { emoji, userId, added: true, count });
      }
      return { emoji, count, me: true };
    },

    async unreact(userId, conversationId, messageId, emoji) {
      const { conversation, members, message } = await target(userId, conversationId, messageId, emoji);
      // Also on a deleted message: taking one's own reaction back is always allowed (there is none left to take).
      const removed = await reactions.remove(message._id, userId, emoji);
      if (!removed) return;
      await announce(members, { conversation, message }, { emoji, userId, added: false, count: await reactions.count(message._id, emoji) });
    },

    async withReactions(userId, views) {
      // Messages known to have none (the `reacted` marker) cost no read: a page without reactions is one query.
      const live = views.filter((v) => v.deletedAt === null && mayHaveReactions(v));
      if (live.length === 0) return views;
      const tallies = await reactions.tally(
        live.map((v) => new ObjectId(v.id)),
        userId,
      );
      const byMessage = new Map<string, MessageReaction[]>();
      for (const { messageId, emoji, count, me } of tallies) {
        const list = byMessage.get(messageId) ?? [];
        list.push({ emoji, count, me });
        byMessage.set(messageId, list);
      }
      // A deleted message shows none, even if a reaction raced its deletion in.
      return views.map((v) => (v.deletedAt === null ? { ...v, reactions: (byMessage.get(v.id) ?? []).sort(byEmoji) } : { ...v, reactions: [] }));
    },

    async forgetMessage(messageId) {
      await reactions.deleteForMessage(new ObjectId(messageId));
    },
  };
}

/**
 * The message service with reactions on what it answers: pages and edits carry the caller's view
 * of them, and deleting a message deletes its reactions. Sends start with none. Events the message
 * service publishes are per conversation, not per reader, so they carry none (see MessageView).
 */
export function withMessageReactions(messages: MessageService, reactions: ReactionService): MessageService {
  return {
    ...messages,
    // Arguments passed on as they are: the first is always the caller.
    async list(...args) {
      const page = await messages.list(...args);
      return { ...page, items: await reactions.withReactions(args[0], page.items) };
    },
    async edit(...args) {
      const [view] = await reactions.withReactions(args[0], [await messages.edit(...args)]);
      return view!;
    },
    async remove(...args) {
      const view = await messages.remove(...args);
      await reactions.forgetMessage(view.id);
      return view;
    },
  };
}
