import type { Collection, MongoServerError } from 'mongodb';
import type { WithSagaLock } from './saga.lock.js';
import type { SagaDocument } from './saga.types.js';

const DUPLICATE_KEY = 11000;

/** Fields a transition rewrites (everything except identity, createdAt and the outbox itself). */
export type SagaDocumentPatch = Omit<SagaDocument, '_id' | 'machine' | 'createdAt' | 'outbox' | 'outboxPending' | 'outboxLeaseUntil'>;

/**
 * All MongoDB access of the runtime. Every write is a single-document update (FerretDB has no
 * transactions): snapshot + version + outbox entries go together or not at all. Writes that do not
 * run inside the caller's transition lock take `withLock` themselves (see saga.lock.ts for why).
 */
export function createSagaStore(
  collection: Collection<SagaDocument>,
  machine: string,
  withLock: WithSagaLock,
  indexedFields: readonly string[] = [],
) {
  return {
    async ensureIndexes(): Promise<void> {
      await collection.createIndex({ final: 1, nextDeadline: 1 }, { name: 'saga_due' });
      await collection.createIndex({ outboxPending: 1, outboxLeaseUntil: 1 }, { name: 'saga_outbox' });
      for (const field of indexedFields) await collection.createIndex({ [`index.${field}`]: 1 }, { name: `saga_index_${field}` });
    },

    load(id: string): Promise<SagaDocument | null> {
      return collection.findOne({ _id: id });
    },

    /** false when a saga with this id already exists (start is idempotent). */
    insert(doc: SagaDocument): Promise<boolean> {
      return withLock(doc._id, async () => {
        try {
          await collection.insertOne(doc);
          return true;
        } catch (err) {
          if ((err as MongoServerError).code === DUPLICATE_KEY) return false;
          throw err;
        }
      });
    },

    /**
     * Optimistic concurrency: applies only if the document still has `expected`'s version and outbox
     * (so neither a transition nor an outbox flush elsewhere slipped in). `outbox` null = unchanged.
     * Caller holds the lock.
     */
    async update(id: string, expected: Pick<SagaDocument, 'version' | 'outbox'>, patch: SagaDocumentPatch, outbox: string[] | null): Promise<boolean> {
      const res = await collection.updateOne(
        outbox ? { _id: id, version: expected.version, outbox: expected.outbox } : { _id: id, version: expected.version },
        { $set: outbox ? { ...patch, outbox, outboxPending: outbox.length > 0 } : patch },
      );
      return res.matchedCount === 1;
    },

    /** Rewrites only the outbox (completed entries removed) if it still is `expectedOutbox`. Caller holds the lock. */
    setOutbox(id: string, expectedOutbox: string[], outbox: string[]): Promise<boolean> {
      return collection
        .updateOne({ _id: id, outbox: expectedOutbox }, { $set: { outbox, outboxPending: outbox.length > 0 } })
        .then((res) => res.matchedCount === 1);
    },

    findDue(now: number, limit: number): Promise<SagaDocument[]> {
      return collection
        .find({ final: false, nextDeadline: { $lte: now }, machine })
        .sort({ nextDeadline: 1 })
        .limit(limit)
        .toArray();
    },

    findPendingOutbox(now: number, limit: number): Promise<SagaDocument[]> {
      return collection
        .find({ outboxPending: true, outboxLeaseUntil: { $lte: now }, machine })
        .sort({ updatedAt: 1 })
        .limit(limit)
        .toArray();
    },

    /** One relay instance at a time works on a saga's outbox (others would only publish duplicates). */
    leaseOutbox(id: string, now: number, until: number): Promise<boolean> {
      return withLock(id, async () => {
        const res = await collection.updateOne(
          { _id: id, outboxLeaseUntil: { $lte: now } },
          { $set: { outboxLeaseUntil: until } },
        );
        return res.modifiedCount === 1;
      });
    },

    releaseOutbox(id: string): Promise<void> {
      return withLock(id, async () => {
        await collection.updateOne({ _id: id }, { $set: { outboxLeaseUntil: 0 } });
      });
    },
  };
}

export type SagaStore = ReturnType<typeof createSagaStore>;
