import type { SagaDocument } from './saga.types.js';

/**
 * The last document this instance wrote for each recently active saga, so the next event on the
 * same saga (a reply that follows its request within milliseconds, usually) skips the load.
 *
 * Safe because it is only ever a guess: every write is conditional on the cached version and
 * outbox, so a document another instance changed meanwhile makes the write miss, and the caller
 * drops the entry and loads. An event the cached state IGNORES is re-checked against a fresh load
 * too, since there is no write to catch the staleness. Bounded: least recently used goes first.
 */
export function createDocCache(max: number) {
  const docs = new Map<string, SagaDocument>();
  return {
    get(id: string): SagaDocument | undefined {
      const doc = docs.get(id);
      if (doc) {
        docs.delete(id);
        docs.set(id, doc);
      }
      return doc;
    },
    set(doc: SagaDocument): void {
      docs.delete(doc._id);
      if (max <= 0) return;
      // Finished sagas take no more events worth caching for.
      if (doc.final) return;
      docs.set(doc._id, doc);
      if (docs.size > max) docs.delete(docs.keys().next().value as string);
    },
    delete(id: string): void {
      docs.delete(id);
    },
  };
}
export type DocCache = ReturnType<typeof createDocCache>;
