import t from 'tap';
import { createInsertBatcher, createWriteCoalescer } from './write.batching.js';

/** A write whose completion the test decides. */
function gate() {
  const calls: { args: unknown[]; finish: (err?: Error) => void }[] = [];
  const fn = (...args: unknown[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ args, finish: (err) => (err ? reject(err) : resolve()) });
    });
  return { calls, fn };
}
const settled = () => new Promise(setImmediate);

t.test('a lone insert goes at once; those arriving meanwhile go together in the next batch', async (t) => {
  const { calls, fn } = gate();
  const insert = createInsertBatcher<string>({ insertMany: (docs) => fn(docs), maxBatch: 2 });
  const first = insert('a');
  await settled();
  t.same(calls.map((c) => c.args[0]), [['a']], 'no waiting for company');
  const rest = ['b', 'c', 'd'].map((d) => insert(d));
  await settled();
  t.equal(calls.length, 1, 'queued while one is on its way');
  calls[0]!.finish();
  await first;
  await settled();
  t.same(calls[1]!.args[0], ['b', 'c'], 'at most maxBatch');
  calls[1]!.finish();
  await settled();
  t.same(calls[2]!.args[0], ['d']);
  calls[2]!.finish();
  await Promise.all(rest);
});

t.test('a document refused in a batch fails alone, whether or not the server says which one it was', async (t) => {
  const { calls, fn } = gate();
  const insert = createInsertBatcher<string>({ insertMany: (docs) => fn(docs), maxBatch: 10 });
  const blocker = insert('x');
  await settled();
  const outcome = (p: Promise<void>) => p.then(() => 'stored', (e: { code?: number; message?: string }) => e.code ?? e.message);
  const [ok, dup, ok2] = ['a', 'b', 'c'].map((d) => outcome(insert(d)));
  calls[0]!.finish();
  await blocker;
  await settled();
  calls[1]!.finish(Object.assign(new Error('bulk'), { writeErrors: [{ index: 1, code: 11000, errmsg: 'E11000 duplicate key' }] }));
  t.same(await Promise.all([ok, dup, ok2]), ['stored', 11000, 'stored'], 'per-document errors are believed');

  // FerretDB on PostgreSQL: one string it cannot store sinks the whole insertMany, with no writeErrors.
  const blocker2 = insert('x2');
  await settled();
  const [good, bad, good2] = ['d', 'bad', 'e'].map((d) => outcome(insert(d)));
  calls[2]!.finish();
  await blocker2;
  await settled();
  t.same(calls[3]!.args[0], ['d', 'bad', 'e']);
  calls[3]!.finish(Object.assign(new Error('unsupported Unicode escape sequence'), { writeErrors: [] }));
  await settled();
  t.same(calls.slice(4).map((c) => c.args[0]), [['d'], ['bad'], ['e']], 'the failed batch is written again one document at a time');
  calls[4]!.finish();
  calls[5]!.finish(new Error('unsupported Unicode escape sequence'));
  calls[6]!.finish();
  t.same(await Promise.all([good, bad, good2]), ['stored', 'unsupported Unicode escape sequence', 'stored'], 'only the bad one fails');

  const down = insert('y');
  await settled();
  calls[7]!.finish(new Error('connection lost'));
  await t.rejects(down, /connection lost/, 'a lone document failing fails its caller');
});

t.test('coalesced writes: one at a time per key, the latest value wins, every caller waits for a write covering it', async (t) => {
  const { calls, fn } = gate();
  const touch = createWriteCoalescer<number>((key, value) => fn(key, value), Math.max);
  const first = touch('c1', 1);
  const other = touch('c2', 5);
  await settled();
  t.same(calls.map((c) => c.args), [['c1', 1], ['c2', 5]], 'keys are independent');
  let resolved = 0;
  const second = touch('c1', 3).then(() => (resolved += 1));
  const third = touch('c1', 2).then(() => (resolved += 1));
  await settled();
  t.equal(calls.length, 2, 'waiting while c1 is written');
  calls[0]!.finish();
  await first;
  await settled();
  t.same(calls[2]!.args, ['c1', 3], 'one more write, with the merged value');
  t.equal(resolved, 0, 'not resolved before that write completed');
  calls[2]!.finish();
  await Promise.all([second, third]);
  t.equal(resolved, 2);
  calls[1]!.finish();
  await other;
  const later = touch('c1', 9);
  await settled();
  t.same(calls[3]!.args, ['c1', 9], 'idle again: the next write goes at once');
  calls[3]!.finish(new Error('db down'));
  await t.rejects(later, /db down/);
});
