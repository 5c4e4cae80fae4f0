import { MongoServerError, type Db } from 'mongodb';

/**
 * One document per (blocker, blocked) with a deterministic `_id`: blocking is an insert (a repeat
 * or a concurrent twin hits the `_id` and changes nothing), unblocking a delete. No field is ever
 * updated, so FerretDB's non-atomic updates cannot lose a block.
 */
export interface BlockDocument {
  /** `<blockerId>:<blockedId>` */
  _id: string;
  blockerId: string;
  blockedId: string;
  blockedAt: Date;
}

export interface BlockRepository {
  ensureIndexes(): Promise<void>;
  /** The block, inserted now or found from before. */
  insert(blockerId: string, blockedId: string, now: Date): Promise<BlockDocument>;
  remove(blockerId: string, blockedId: string): Promise<boolean>;
  /** Whether either blocked the other: one `_id` lookup of both documents. */
  between(a: string, b: string): Promise<boolean>;
  /** Blocks the user set (most recent first). */
  byBlocker(blockerId: string): Promise<BlockDocument[]>;
  /** Every block the user is on either side of: one query. */
  involving(userId: string): Promise<BlockDocument[]>;
  /** Deletes every block the user is on either side of (the account is gone). */
  removeAllOf(userId: string): Promise<number>;
}

export const blockId = (blockerId: string, blockedId: string): string => `${blockerId}:${blockedId}`;

export function createBlockRepository(db: Db, collectionName = 'user_blocks'): BlockRepository {
  const collection = db.collection<BlockDocument>(collectionName);
  const involvingFilter = (userId: string) => ({ $or: [{ blockerId: userId }, { blockedId: userId }] });
  return {
    async ensureIndexes() {
      await Promise.all([
        collection.createIndex({ blockerId: 1, blockedAt: -1 }, { name: 'blocks_by_blocker' }),
        collection.createIndex({ blockedId: 1 }, { name: 'blocks_by_blocked' }),
      ]);
    },
    async insert(blockerId, blockedId, now) {
      const doc: BlockDocument = { _id: blockId(blockerId, blockedId), blockerId, blockedId, blockedAt: now };
      try {
        await collection.insertOne(doc);
        return doc;
      } catch (err) {
        if (!(err instanceof MongoServerError && err.code === 11000)) throw err;
        return (await collection.findOne({ _id: doc._id })) ?? doc;
      }
    },
    async remove(blockerId, blockedId) {
      return (await collection.deleteOne({ _id: blockId(blockerId, blockedId) })).deletedCount > 0;
    },
    async between(a, b) {
      return (await collection.countDocuments({ _id: { $in: [blockId(a, b), blockId(b, a)] } }, { limit: 1 })) > 0;
    },
    async byBlocker(blockerId) {
      return collection.find({ blockerId }).sort({ blockedAt: -1 }).toArray();
    },
    async involving(userId) {
      return collection.find(involvingFilter(userId)).toArray();
    },
    async removeAllOf(userId) {
      return (await collection.deleteMany(involvingFilter(userId))).deletedCount;
    },
  };
}
