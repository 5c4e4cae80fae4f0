/**
 * Outbox entries this instance has completed (published and confirmed, or effect applied) but not
 * yet removed from the saga document.
 *
 * Why deferred: removing each entry right away cost two extra writes per message, and nearly every
 * request is followed within milliseconds by its reply's transition — which rewrites the document
 * anyway and drops the completed entries in the same update. When no transition comes (the saga
 * waits for a user, or another instance applied the reply), `flush` removes them after `delayMs`,
 * which must stay below the relay's grace period so the relay does not send them again.
 *
 * Memory is bounded: past `maxSagas` the oldest saga's removals are flushed at once.
 */
export function createRemovalTracker(o: {
  delayMs: number;
  maxSagas?: number;
  flush: (sagaId: string, entries: ReadonlySet<string>) => Promise<void>;
}) {
  const maxSagas = o.maxSagas ?? 10_000;
  const pending = new Map<string, { entries: Set<string>; timer: NodeJS.Timeout | undefined }>();
  const flushing = new Set<Promise<void>>();
  let closed = false;

  function schedule(sagaId: string, slot: { timer: NodeJS.Timeout | undefined }): void {
    if (slot.timer || closed) return;
    slot.timer = setTimeout(() => void runFlush(sagaId), o.delayMs);
    slot.timer.unref();
  }

  function runFlush(sagaId: string): Promise<void> {
    const slot = pending.get(sagaId);
    if (!slot) return Promise.resolve();
    clearTimeout(slot.timer);
    slot.timer = undefined;
    const p = o
      .flush(sagaId, new Set(slot.entries))
      .catch(() => undefined)
      .finally(() => {
        flushing.delete(p);
        // A failed flush (store unreachable) keeps its entries: try again later.
        const left = pending.get(sagaId);
        if (left && left.entries.size > 0) schedule(sagaId, left);
      });
    flushing.add(p);
    return p;
  }

  return {
    add(sagaId: string, raw: string): void {
      let slot = pending.get(sagaId);
      if (!slot) {
        if (pending.size >= maxSagas) {
          const oldest = pending.keys().next().value as string;
          void runFlush(oldest);
        }
        pending.set(sagaId, (slot = { entries: new Set(), timer: undefined }));
      }
      slot.entries.add(raw);
      schedule(sagaId, slot);
    },
    /** Entries to drop in the next write of this saga (plus `extra`, e.g. the effect whose result it applies). */
    snapshot(sagaId: string, extra?: string): Set<string> {
      const set = new Set(pending.get(sagaId)?.entries);
      if (extra) set.add(extra);
      return set;
    },
    has(sagaId: string, raw: string): boolean {
      return pending.get(sagaId)?.entries.has(raw) ?? false;
    },
    /** After a write removed them (or found them gone). */
    forget(sagaId: string, entries: Iterable<string>): void {
      const slot = pending.get(sagaId);
      if (!slot) return;
      for (const raw of entries) slot.entries.delete(raw);
      if (slot.entries.size === 0) {
        clearTimeout(slot.timer);
        pending.delete(sagaId);
      }
    },
    /** Removes this saga's completed entries now (the relay, before it releases its lease). */
    flushNow: runFlush,
    /** Flushes everything still pending (shutdown). */
    async close(): Promise<void> {
      closed = true;
      await Promise.allSettled([...pending.keys()].map(runFlush));
      await Promise.allSettled([...flushing]);
    },
  };
}
export type RemovalTracker = ReturnType<typeof createRemovalTracker>;
