import type { Collection, Db, ObjectId } from 'mongodb';

/**
 * One member's one emoji on one message, as a document of its own. The `_id` is the triple, so a
 * repeated or concurrent PUT stores it once: FerretDB does not apply updates atomically (20
 * concurrent `$inc` on a counter lose writes), but it does refuse a second insert of an `_id`.
 * Counts are never stored; they are counted when read.
 */
export interface ReactionDocument {
  /** `${messageId}:${userId}:${emoji}` */
  _id: string;
  conversationId: ObjectId;
  messageId: ObjectId;
  userId: string;
  emoji: string;
  createdAt: Date;
}

/** One emoji on one message: how many reacted with it and whether `userId` did. */
export interface ReactionTally {
  messageId: string;
  emoji: string;
  count: number;
  me: boolean;
}

export interface ReactionRepository {
  ensureIndexes(): Promise<void>;
  /** Stores the reaction; `false` when it was there already (a repeat). */
  add(reaction: Omit<ReactionDocument, '_id'>): Promise<boolean>;
  /** Removes it; `false` when there was none. */
  remove(messageId: ObjectId, userId: string, emoji: string): Promise<boolean>;
  /** How many members react to the message with `emoji`. */
  count(messageId: ObjectId, emoji: string): Promise<number>;
  /** The different emojis on the message. */
  emojisOn(messageId: ObjectId): Promise<string[]>;
  /** Every emoji on the given messages, as seen by `userId`: the same two queries for a whole page. */
  tally(messageIds: readonly ObjectId[], userId: string): Promise<ReactionTally[]>;
  /** The reactions of a deleted message go with it. */
  deleteForMessage(messageId: ObjectId): Promise<number>;
  /** A closed conversation's reactions. */
  deleteAllIn(conversationId: ObjectId): Promise<number>;
  /** A deleted account's reactions, everywhere. */
  deleteAllBy(userId: string): Promise<number>;
}

const DUPLICATE_KEY = 11000;

export const REACTION_INDEXES = {
  byMessage: 'reactions_message',
  byConversation: 'reactions_conversation',
  byUser: 'reactions_user',
} as const;

export const reactionId = (messageId: ObjectId, userId: string, emoji: string): string => `${messageId.toHexString()}:${userId}:${emoji}`;

export function createReactionRepository(db: Db, collectionName = 'reactions'): ReactionRepository {
  const reactions: Collection<ReactionDocument> = db.collection<ReactionDocument>(collectionName);
  return {
    async ensureIndexes() {
      await reactions.createIndex({ messageId: 1, emoji: 1 }, { name: REACTION_INDEXES.byMessage });
      await reactions.createIndex({ conversationId: 1 }, { name: REACTION_INDEXES.byConversation });
      await reactions.createIndex({ userId: 1 }, { name: REACTION_INDEXES.byUser });
    },
    async add(reaction) {
      try {
        await reactions.insertOne({ _id: reactionId(reaction.messageId, reaction.userId, reaction.emoji), ...reaction });
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
        throw error;
      }
    },
    async remove(messageId, userId, emoji) {
      const { deletedCount } = await reactions.deleteOne({ _id: reactionId(messageId, userId, emoji) });
      return deletedCount > 0;
    },
    count(messageId, emoji) {
      return reactions.countDocuments({ messageId, emoji });
    },
    async emojisOn(messageId) {
      const groups = await reactions.aggregate<{ _id: string }>([{ $match: { messageId } }, { $group: { _id: '$emoji' } }]).toArray();
      return groups.map((g) => g._id);
    },
    async tally(messageIds, userId) {
      if (messageIds.length === 0) return [];
      const ids = [...messageIds];
      // Two reads for a whole page, each bounded by the emojis on it (≤ 20 per message), not by how
      // many reacted: the counts (FerretDB v1's `$group` has `$sum`, not `$min`/`$first`), and the
      // caller's own reactions.
      const [groups, mine] = await Promise.all([
        reactions
          .aggregate<{ _id: { messageId: ObjectId; emoji: string }; count: number }>([
            { $match: { messageId: { $in: ids } } },
            { $group: { _id: { messageId: '$messageId', emoji: '$emoji' }, count: { $sum: 1 } } },
          ])
          .toArray(),
        reactions.find({ messageId: { $in: ids }, userId }, { projection: { _id: 1 } }).toArray(),
      ]);
      const own = new Set(mine.map((d) => d._id));
      return groups.map(({ _id, count }) => ({
        messageId: _id.messageId.toHexString(),
        emoji: _id.emoji,
        count,
        me: own.has(reactionId(_id.messageId, userId, _id.emoji)),
      }));
    },
    async deleteForMessage(messageId) {
      return (await reactions.deleteMany({ messageId })).deletedCount;
    },
    async deleteAllIn(conversationId) {
      return (await reactions.deleteMany({ conversationId })).deletedCount;
    },
    async deleteAllBy(userId) {
      return (await reactions.deleteMany({ userId })).deletedCount;
    },
  };
}
