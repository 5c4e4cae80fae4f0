/**
 * Two ways of writing less when many writes arrive together, without delaying a lone write: both
 * start at once when nothing is under way, and only what arrives *while* a write is on its way
 * waits for the next one (group commit, no timers).
 */

/** A document the batch refused (e.g. a duplicate key), by its position in the batch. */
export interface BatchWriteError {
  index: number;
  error: Error & { code?: number };
}

/**
 * Inserts queued documents `maxBatch` at a time. `insertMany` must be unordered: a document the
 * server refuses fails alone, with the error reported for its index. A batch that fails without
 * saying which documents it refused (FerretDB refuses a whole `insertMany` for one string it cannot
 * store, with `writeErrors: []`; a connection lost mid-batch looks the same) is written again one
 * document at a time, so one sender's bad document never fails another sender's message. A retry
 * of a document that was stored after all meets the unique index, which callers treat as "stored".
 */
export function createInsertBatcher<D>(o: { insertMany(docs: D[]): Promise<void>; maxBatch: number }): (doc: D) => Promise<void> {
  type Queued = { doc: D; resolve: () => void; reject: (err: unknown) => void };
  let queue: Queued[] = [];
  let running = false;

  async function write(batch: Queued[]): Promise<void> {
    try {
      await o.insertMany(batch.map((b) => b.doc));
      for (const b of batch) b.resolve();
    } catch (err) {
      const refused = writeErrorsOf(err);
      if (refused) {
        for (const [i, b] of batch.entries()) {
          if (refused.has(i)) b.reject(refused.get(i));
          else b.resolve();
        }
      } else if (batch.length === 1) {
        batch[0]!.reject(err);
      } else {
        await Promise.all(batch.map((b) => write([b])));
      }
    }
  }

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, o.maxBatch);
      queue = queue.slice(batch.length);
      await write(batch);
    }
    running = false;
  }

  return (doc) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ doc, resolve, reject });
      if (!running) void drain();
    });
}

/** The per-document errors of an unordered bulk write (MongoDB driver's MongoBulkWriteError), by index. */
function writeErrorsOf(err: unknown): Map<number, Error> | undefined {
  const raw = (err as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { index?: unknown; code?: unknown; errmsg?: unknown; message?: unknown }[];
  if (list.length === 0 || !list.every((e) => typeof e.index === 'number')) return undefined;
  return new Map(
    list.map((e) => {
      const error = Object.assign(new Error(String(e.errmsg ?? e.message ?? 'write refused')), { code: e.code });
      return [e.index as number, error];
    }),
  );
}

/**
 * Runs `write(key, value)` at most once at a time per key. Values arriving while one runs are
 * merged (`merge`), and one more write with the merged value follows; every caller resolves once a
 * write covering its value has completed. For "move this timestamp forward" writes, where only
 * the latest value matters.
 */
export function createWriteCoalescer<V>(write: (key: string, value: V) => Promise<void>, merge: (a: V, b: V) => V): (key: string, value: V) => Promise<void> {
  interface Next {
    value: V;
    promise: Promise<void>;
    resolve: () => void;
    reject: (err: unknown) => void;
  }
  const state = new Map<string, { next: Next | undefined }>();

  function run(key: string, value: V): Promise<void> {
    const entry = { next: undefined as Next | undefined };
    state.set(key, entry);
    const done = write(key, value);
    void done
      .catch(() => undefined)
      .then(() => {
        const next = entry.next;
        if (!next) return state.delete(key);
        run(key, next.value).then(next.resolve, next.reject);
      });
    return done;
  }

  return (key, value) => {
    const entry = state.get(key);
    if (!entry) return run(key, value);
    if (entry.next) {
      entry.next.value = merge(entry.next.value, value);
      return entry.next.promise;
    }
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    entry.next = { value, promise, resolve, reject };
    return promise;
  };
}
