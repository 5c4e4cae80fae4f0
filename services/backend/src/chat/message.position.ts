import type { Redis } from 'ioredis';
import type { Collection, ObjectId } from 'mongodb';
import { createRedisLock, type WithRedisLock } from '@ashchat/service-kit';
import type { MessageDocument } from './message.repository.js';

/**
 * Each message's position in its conversation (`seq`: 1, 2, 3, …), in the order messages are
 * *stored*, which resume follows instead of the id (ids are taken when a send starts; two
 * instances can store a smaller id after a larger one, and a client resuming after the larger id
 * would miss it).
 *
 * A batch of inserts (write.batching.ts) takes the Redis lock of each conversation it touches
 * (in id order, so two instances never wait on each other in a circle), takes the next positions
 * of all of them with one INCRBY per conversation in one pipeline, writes, and releases the locks.
 * So a position becomes visible only once every smaller one of its conversation is stored (or
 * failed for good: such a position stays a hole, never filled later). Cost per batch and
 * conversation: lock SET NX PX + the INCRBY pipeline + the release script = 3 Redis round trips
 * for a lone send; a batch of many sends shares them (one pipeline for all its conversations).
 *
 * The counter starts from the stored maximum when Redis has none (new conversation, or Redis lost
 * its data), read under the lock. Messages stored before positions existed have none (seq 0 in views).
 */
export interface MessagePositions {
  ensureIndexes(): Promise<void>;
  /** Gives each document its position, under its conversation's lock, and runs `write` before releasing. */
  commit(docs: PositionedDocument[], write: () => Promise<void>): Promise<void>;
  /** Oldest first, positions strictly above `afterSeq`: what a reconnecting client missed. */
  after(conversationId: ObjectId, afterSeq: number, limit: number): Promise<MessageDocument[]>;
}

export interface PositionedDocument {
  conversationId: ObjectId;
  /** Absent on messages stored before positions existed. */
  seq?: number;
}

export interface MessagePositionsDeps {
  redis: Redis;
  /** The messages collection (the repository's). */
  messages: Collection<MessageDocument>;
  /** Upper bound of one batch's insert; the lock expires by itself after it. */
  lockTtlMs?: number;
  /** How long a batch waits for a conversation's lock (longer than the TTL: a dead holder's lock lapses first). */
  lockWaitMs?: number;
  keyPrefix?: string;
}

/** The index resume reads positions through. */
export const POSITION_INDEX = 'messages_conversation_seq';

export function createMessagePositions(deps: MessagePositionsDeps): MessagePositions {
  const prefix = deps.keyPrefix ?? 'chat';
  const ttlMs = deps.lockTtlMs ?? 15_000;
  const withLock: WithRedisLock = createRedisLock(deps.redis, {
    ttlMs,
    waitMs: deps.lockWaitMs ?? ttlMs * 2,
    onTimeout: (key) => new Error(`message position lock not obtained: ${key}`),
  });
  const counterKey = (id: string): string => `${prefix}:seq:${id}`;
  const { messages } = deps;

  /** The highest position stored in the conversation (0 if none): where a counter Redis lost starts again. */
  async function highestStored(conversationId: ObjectId): Promise<number> {
    const top = await messages.find({ conversationId, seq: { $gt: 0 } }, { projection: { seq: 1 } }).sort({ conversationId: 1, seq: -1 }).limit(1).next();
    return top?.seq ?? 0;
  }

  async function assign(byConversation: Map<string, PositionedDocument[]>): Promise<void> {
    const ids = [...byConversation.keys()];
    const pipeline = deps.redis.pipeline();
    for (const id of ids) pipeline.incrby(counterKey(id), byConversation.get(id)!.length);
    const results = (await pipeline.exec()) ?? [];
    for (const [i, id] of ids.entries()) {
      const [err, value] = results[i] ?? [new Error('no answer')];
      if (err) throw err;
      const docs = byConversation.get(id)!;
      let last = Number(value);
      if (last === docs.length) {
        // A counter that did not exist: continue after what is stored (0 for a new conversation).
        const stored = await highestStored(docs[0]!.conversationId);
        if (stored > 0) {
          last = stored + docs.length;
          await deps.redis.set(counterKey(id), String(last));
        }
      }
      let seq = last - docs.length;
      for (const doc of docs) doc.seq = ++seq;
    }
  }

  return {
    async ensureIndexes() {
      await messages.createIndex({ conversationId: 1, seq: 1 }, { name: POSITION_INDEX });
    },
    async commit(docs, write) {
      const byConversation = new Map<string, PositionedDocument[]>();
      for (const doc of docs) {
        const id = doc.conversationId.toHexString();
        const list = byConversation.get(id);
        if (list) list.push(doc);
        else byConversation.set(id, [doc]);
      }
      // Locks taken in one global order (conversation id): two batches never wait on each other in a circle.
      const ids = [...byConversation.keys()].sort();
      const locked = (i: number): Promise<void> =>
        i === ids.length
          ? assign(byConversation).then(write)
          : withLock(`${prefix}:seq-lock:${ids[i]!}`, () => locked(i + 1));
      await locked(0);
    },
    after(conversationId, afterSeq, limit) {
      // Messages stored before positions existed have none: `$gt` leaves them out.
      return messages.find({ conversationId, seq: { $gt: afterSeq } }).sort({ conversationId: 1, seq: 1 }).limit(limit).toArray();
    },
  };
}
