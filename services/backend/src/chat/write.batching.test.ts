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

t.test('a document refused in a batch fails alone; a batch failing without per-document errors fails every caller', async (t) => {
  const { calls, fn } = gate();
  const insert = createInsertBatcher<string>({ insertMany: (docs) => fn(docs), maxBatch: 10 });
  const blocker = insert('x');
  await settled();
  const [ok, dup, ok2] = ['a', 'b', 'c'].map((d) => insert(d).then(() => 'stored', (e: { code?: number }) => e.code));
  calls[0]!.finish();
  await blocker;
  await settled();
  calls[1]!.finish(Object.assign(new Error('bulk'), { writeErrors: [{ index: 1, code: 11000, errmsg: 'E11000 duplicate key' }] }));
  t.same(await Promise.all([ok, dup, ok2]), ['stored', 11000, 'stored']);

  const down = insert('y');
  await settled();
  calls[2]!.finish(new Error('connection lost'));
  await t.rejects(down, /connection lost/);
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
