import { ObjectId, type AnyBulkWriteOperation, type Collection, type Db, type Filter } from 'mongodb';
import { createWriteCoalescer } from './write.batching.js';

export interface ConversationDocument {
  _id: ObjectId;
  /**
   * Unique: `direct:<userA>:<userB>` (the pair, sorted) makes a second direct conversation of a
   * pair impossible even when two requests race; groups use `group:<_id>`.
   */
  key: string;
  type: 'direct' | 'group';
  name: string | null;
  ownerId: string | null;
  createdAt: Date;
}

/**
 * One per member, with the member's view of the conversation's activity: listing "my conversations
 * by last activity" is one indexed range, and adding or removing a member is one insert or delete
 * (never an update of a shared array, which FerretDB could lose under concurrent writers).
 */
export interface MembershipDocument {
  /** `<conversationId>:<userId>`: a member is added once however often it is retried. */
  _id: string;
  conversationId: ObjectId;
  userId: string;
  joinedAt: Date;
  lastActivityAt: Date;
}

/** The read marker of one member; its own document, so sends and reads never write the same one. */
export interface ReadMarkerDocument {
  _id: string;
  lastReadId: ObjectId;
}

export interface ActivityCursor {
  lastActivityAt: Date;
  conversationId: ObjectId;
}

export type InsertConversationResult = { outcome: 'created' | 'existing'; conversation: ConversationDocument };

export interface ConversationRepository {
  ensureIndexes(): Promise<void>;
  /** Inserts once per key: a conversation with the same key (the direct pair) is returned instead. */
  insert(conversation: ConversationDocument): Promise<InsertConversationResult>;
  findById(id: ObjectId): Promise<ConversationDocument | null>;
  findByIds(ids: readonly ObjectId[]): Promise<ConversationDocument[]>;
  /** Adds members once each (members already there are left as they are). */
  addMembers(conversationId: ObjectId, userIds: readonly string[], now: Date): Promise<void>;
  removeMember(conversationId: ObjectId, userId: string): Promise<boolean>;
  membership(conversationId: ObjectId, userId: string): Promise<MembershipDocument | null>;
  /** The memberships of the given users in one conversation (those still members), read by `_id`. */
  memberships(conversationId: ObjectId, userIds: readonly string[]): Promise<MembershipDocument[]>;
  /** Members per conversation, each list in joining order. */
  membersOf(conversationIds: readonly ObjectId[]): Promise<Map<string, string[]>>;
  /**
   * Which of `userIds` share at least one conversation with `userId`: two reads whatever their
   * number (the user's conversations, then which of the ids are members of one of them).
   */
  sharingAConversation(userId: string, userIds: readonly string[]): Promise<Set<string>>;
  /** Every conversation the user is a member of (message search asks in which ones to look). */
  conversationIdsOf(userId: string): Promise<ObjectId[]>;
  /** The user's memberships, most recent activity first, strictly after `after`. */
  pageForUser(userId: string, after: ActivityCursor | undefined, limit: number): Promise<MembershipDocument[]>;
  /** Moves every member's lastActivityAt forward to `now`. */
  touch(conversationId: ObjectId, now: Date): Promise<void>;
  readMarkers(userId: string, conversationIds: readonly ObjectId[]): Promise<Map<string, ObjectId>>;
  /** The read markers of the given members of one conversation, by user id (those who have read something). */
  membersReadMarkers(conversationId: ObjectId, userIds: readonly string[]): Promise<Map<string, ObjectId>>;
  /** Moves the user's read marker forward to `upTo`, never back; returns the marker afterwards. */
  markRead(conversationId: ObjectId, userId: string, upTo: ObjectId): Promise<ObjectId>;
  /** Hands a group from `from` to `to`; false if `from` no longer owns it (a repeat finds it done). */
  setOwner(conversationId: ObjectId, from: string, to: string): Promise<boolean>;
  /** Replaces the unique key (a direct pair's key names both users). */
  rekey(conversationId: ObjectId, key: string): Promise<void>;
  /** Deletes the conversation's read markers, the conversation, then its memberships (last: they are how a repeat finds it). */
  purge(conversationId: ObjectId): Promise<void>;
  /** Deletes every read marker of the user, wherever it is. */
  deleteReadMarkersOf(userId: string): Promise<number>;
}

const DUPLICATE_KEY = 11000;
const NAMESPACE_EXISTS = 48;
/** A duplicate key error, or a bulk write whose every failure is one. */
function isDuplicate(error: unknown): boolean {
  if ((error as { code?: number }).code === DUPLICATE_KEY) return true;
  const writeErrors = (error as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((e) => e.code === DUPLICATE_KEY);
}

export const memberKey = (conversationId: ObjectId, userId: string): string => `${conversationId.toHexString()}:${userId}`;
export const directKey = (a: string, b: string): string => `direct:${[a, b].sort().join(':')}`;

export const CONVERSATION_INDEXES = {
  key: 'conversations_key_unique',
  membersByUser: 'members_user_activity',
  membersByConversation: 'members_conversation_joined',
} as const;

export function createConversationRepository(db: Db): ConversationRepository {
  const conversations: Collection<ConversationDocument> = db.collection<ConversationDocument>('conversations');
  const members: Collection<MembershipDocument> = db.collection<MembershipDocument>('conversation_members');
  const reads: Collection<ReadMarkerDocument> = db.collection<ReadMarkerDocument>('conversation_reads');

  // A busy conversation's sends each move every member's lastActivityAt; only the latest matters,
  // so one update runs at a time per conversation and those arriving meanwhile merge into the next.
  const touchCoalesced = createWriteCoalescer<Date>(
    async (conversationId, now) => {
      await members.updateMany({ conversationId: new ObjectId(conversationId), lastActivityAt: { $lt: now } }, { $set: { lastActivityAt: now } });
    },
    (a, b) => (a.getTime() >= b.getTime() ? a : b),
  );

  async function marker(id: string): Promise<ObjectId | undefined> {
    return (await reads.findOne({ _id: id }))?.lastReadId;
  }

  return {
    async ensureIndexes() {
      // Created up front rather than by the first read marker: FerretDB creates a collection's table
      // on first write, and two first writes at once may collide.
      await db.createCollection(reads.collectionName).catch((error: unknown) => {
        if ((error as { code?: number }).code !== NAMESPACE_EXISTS) throw error;
      });
      await conversations.createIndex({ key: 1 }, { unique: true, name: CONVERSATION_INDEXES.key });
      await members.createIndex({ userId: 1, lastActivityAt: -1, conversationId: -1 }, { name: CONVERSATION_INDEXES.membersByUser });
      await members.createIndex({ conversationId: 1, joinedAt: 1 }, { name: CONVERSATION_INDEXES.membersByConversation });
    },
    async insert(conversation) {
      try {
        await conversations.insertOne(conversation);
        return { outcome: 'created', conversation };
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        const existing = await conversations.findOne({ key: conversation.key });
        if (!existing) throw error;
        return { outcome: 'existing', conversation: existing };
      }
    },
    findById(id) {
      return conversations.findOne({ _id: id });
    },
    findByIds(ids) {
      return conversations.find({ _id: { $in: [...ids] } }).toArray();
    },
    async addMembers(conversationId, userIds, now) {
      if (userIds.length === 0) return;
      const ops: AnyBulkWriteOperation<MembershipDocument>[] = userIds.map((userId, i) => ({
        // Joining order is kept even when several join at once.
        insertOne: { document: { _id: memberKey(conversationId, userId), conversationId, userId, joinedAt: new Date(now.getTime() + i), lastActivityAt: now } },
      }));
      try {
        await members.bulkWrite(ops, { ordered: false });
      } catch (error) {
        if (!isDuplicate(error)) throw error;
      }
    },
    async removeMember(conversationId, userId) {
      const [removed] = await Promise.all([
        members.deleteOne({ _id: memberKey(conversationId, userId) }),
        reads.deleteOne({ _id: memberKey(conversationId, userId) }),
      ]);
      return removed.deletedCount > 0;
    },
    membership(conversationId, userId) {
      return members.findOne({ _id: memberKey(conversationId, userId) });
    },
    async memberships(conversationId, userIds) {
      if (userIds.length === 0) return [];
      return members.find({ _id: { $in: userIds.map((u) => memberKey(conversationId, u)) } }).toArray();
    },
    async membersOf(conversationIds) {
      const byConversation = new Map<string, string[]>(conversationIds.map((id) => [id.toHexString(), []]));
      const docs = await members.find({ conversationId: { $in: [...conversationIds] } }).sort({ conversationId: 1, joinedAt: 1 }).toArray();
      for (const doc of docs) byConversation.get(doc.conversationId.toHexString())?.push(doc.userId);
      return byConversation;
    },
    async sharingAConversation(userId, userIds) {
      const others = [...new Set(userIds)].filter((id) => id !== userId);
      if (others.length === 0) return new Set();
      // Index-only on MongoDB (members_user_activity starts with userId and holds conversationId).
      const mine = await members.find({ userId }, { projection: { _id: 0, conversationId: 1 } }).toArray();
      if (mine.length === 0) return new Set();
      // distinct: at most userIds.length answers, however many conversations the users share.
      const shared = await members.distinct('userId', { conversationId: { $in: mine.map((m) => m.conversationId) }, userId: { $in: others } });
      return new Set(shared);
    },
    async conversationIdsOf(userId) {
      // Index-only on MongoDB (members_user_activity starts with userId and holds conversationId).
      const docs = await members.find({ userId }, { projection: { _id: 0, conversationId: 1 } }).toArray();
      return docs.map((d) => d.conversationId);
    },
    pageForUser(userId, after, limit) {
      const filter: Filter<MembershipDocument> = after
        ? {
            userId,
            $or: [
              { lastActivityAt: { $lt: after.lastActivityAt } },
              { lastActivityAt: after.lastActivityAt, conversationId: { $lt: after.conversationId } },
            ],
          }
        : { userId };
      return members.find(filter).sort({ userId: 1, lastActivityAt: -1, conversationId: -1 }).limit(limit).toArray();
    },
    touch(conversationId, now) {
      return touchCoalesced(conversationId.toHexString(), now);
    },
    async readMarkers(userId, conversationIds) {
      const docs = await reads.find({ _id: { $in: conversationIds.map((id) => memberKey(id, userId)) } }).toArray();
      return new Map(docs.map((doc) => [doc._id.slice(0, 24), doc.lastReadId]));
    },
    async membersReadMarkers(conversationId, userIds) {
      if (userIds.length === 0) return new Map();
      const docs = await reads.find({ _id: { $in: userIds.map((u) => memberKey(conversationId, u)) } }).toArray();
      return new Map(docs.map((doc) => [doc._id.slice(25), doc.lastReadId]));
    },
    async markRead(conversationId, userId, upTo) {
      const _id = memberKey(conversationId, userId);
      // Conditional update, then insert: never an upsert (two racing upserts may both insert), and
      // the filter keeps the marker from moving back.
      for (let attempt = 0; attempt < 3; attempt++) {
        const updated = await reads.updateOne({ _id, lastReadId: { $lt: upTo } }, { $set: { lastReadId: upTo } });
        if (updated.matchedCount > 0) return upTo;
        const current = await marker(_id);
        if (current) return current;
        try {
          await reads.insertOne({ _id, lastReadId: upTo });
          return upTo;
        } catch (error) {
          if (!isDuplicate(error)) throw error;
        }
      }
      return (await marker(_id)) ?? upTo;
    },
    async setOwner(conversationId, from, to) {
      return (await conversations.updateOne({ _id: conversationId, ownerId: from }, { $set: { ownerId: to } })).matchedCount > 0;
    },
    async rekey(conversationId, key) {
      await conversations.updateOne({ _id: conversationId }, { $set: { key } });
    },
    async purge(conversationId) {
      await reads.deleteMany({ _id: { $regex: `^${conversationId.toHexString()}:` } });
      await conversations.deleteOne({ _id: conversationId });
      await members.deleteMany({ conversationId });
    },
    async deleteReadMarkersOf(userId) {
      // Keyed `<conversationId>:<userId>` with no user field: a scan, once per deleted account.
      return (await reads.deleteMany({ _id: { $regex: `:${userId.replace(/[^A-Za-z0-9-]/g, '')}$` } })).deletedCount;
    },
  };
}
