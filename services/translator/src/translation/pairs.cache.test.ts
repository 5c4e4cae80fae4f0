// Pure caching logic: the engine here is a list in memory whose reads are counted.
import t from 'tap';
import type { Pair, TranslationEngine } from '../engine/index.js';
import { createPairsCache } from './pairs.cache.js';

function listEngine(initial: Pair[]): TranslationEngine & { reads: number; list: Pair[] } {
  const engine = {
    provider: 'list',
    maxBatch: 1,
    reads: 0,
    list: initial,
    async pairs() {
      engine.reads += 1;
      return engine.list;
    },
    translate: async (texts: string[]) => texts,
  };
  return engine;
}

t.test('pairs are read once, again when old, and again on a miss at most every missRefreshMs', async (t) => {
  let now = 0;
  const engine = listEngine([{ from: 'en', to: 'es' }]);
  const cache = createPairsCache(engine, { maxAgeMs: 60_000, missRefreshMs: 10_000, clock: () => now });
  const [a, b] = await Promise.all([cache.route('en', 'es'), cache.route('en', 'es')]);
  t.same([a, b], [{ via: [] }, { via: [] }]);
  t.equal(engine.reads, 1, 'concurrent first calls share one read');

  engine.list = [...engine.list, { from: 'en', to: 'de' }];
  t.equal(await cache.route('en', 'de'), null, 'a miss right after a read does not read again');
  t.equal(engine.reads, 1);
  now = 10_001;
  t.same(await cache.route('en', 'de'), { via: [] }, 'a later miss reads again and finds the new pair');
  t.equal(engine.reads, 2);

  now = 80_000;
  await cache.route('en', 'es');
  t.equal(engine.reads, 3, 'old pairs are read again');
});
