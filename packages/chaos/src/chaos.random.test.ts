import t from 'tap';
import { createRng, pick, randomInt } from './chaos.random.js';

t.test('the same seed gives the same stream, in [0, 1)', async (t) => {
  const a = createRng(123);
  const b = createRng(123);
  const xs = Array.from({ length: 1000 }, () => a());
  t.same(Array.from({ length: 1000 }, () => b()), xs);
  t.ok(xs.every((x) => x >= 0 && x < 1));
  t.notSame(Array.from({ length: 10 }, createRng(124)), xs.slice(0, 10));
  t.ok(new Set(xs).size > 990, 'no short cycle');
});

t.test('randomInt covers its inclusive range; pick refuses an empty list', async (t) => {
  const rng = createRng(5);
  const seen = new Set(Array.from({ length: 500 }, () => randomInt(rng, 2, 5)));
  t.same([...seen].sort(), [2, 3, 4, 5]);
  t.equal(pick(createRng(1), ['only']), 'only');
  t.throws(() => pick(rng, []), /empty/);
});
