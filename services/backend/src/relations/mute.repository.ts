import { MongoServerError, type Db } from 'mongodb';

/**
 * One document per (user, conversation), with a deterministic `_id`: muting again replaces it as a
 * whole (no field update that FerretDB could interleave), unmuting deletes it. An ended mute stays
 * until replaced or deleted; readers compare `until` with the clock (no TTL index on FerretDB).
 */
export interface MuteDocument {
  /** `<userId>:<conversationId>` */
  _id: string;
  userId: string;
  conversationId: string;
  /** null: until unmuted. */
  until: Date | null;
  mutedAt: Date;
}

export interface MuteRepository {
  ensureIndexes(): Promise<void>;
  put(doc: Omit<MuteDocument, '_id'>): Promise<MuteDocument>;
  remove(userId: string, conversationId: string): Promise<void>;
  /** Every mute of the user (ended ones included), most recently set first: one indexed query. */
  ofUser(userId: string): Promise<MuteDocument[]>;
  /** Every mute of the user (their account is gone). */
  removeAllOfUser(userId: string): Promise<number>;
}

export const muteId = (userId: string, conversationId: string): string => `${userId}:${conversationId}`;

export function createMuteRepository(db: Db, collectionName = 'conversation_mutes'): MuteRepository {
  const collection = db.collection<MuteDocument>(collectionName);
  return {
    async ensureIndexes() {
      await collection.createIndex({ userId: 1, mutedAt: -1 }, { name: 'mutes_by_user' });
    },
    async put(fields) {
      const doc: MuteDocument = { _id: muteId(fields.userId, fields.conversationId), ...fields };
      try {
        await collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
      } catch (err) {
        // Two first mutes at once: both upserts insert, one loses on `_id`; writing again replaces.
        if (!(err instanceof MongoServerError && err.code === 11000)) throw err;
        await collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
      }
      return doc;
    },
    async remove(userId, conversationId) {
      await collection.deleteOne({ _id: muteId(userId, conversationId) });
    },
    async ofUser(userId) {
      return collection.find({ userId }).sort({ mutedAt: -1 }).toArray();
    },
    async removeAllOfUser(userId) {
      return (await collection.deleteMany({ userId })).deletedCount;
    },
  };
}
