/** The batcher in front of a LibreTranslate-compatible server on a real socket. */
import t from 'tap';
import { startLibreServer } from '../engine/engine.test-support.js';
import { createLibreTranslateEngine, type TranslationEngine } from '../engine/index.js';
import { createEngineBatcher } from './engine.batcher.js';

/** The engine, with the most calls it ever had in flight at once. */
function tracked(engine: TranslationEngine): TranslationEngine & { maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  return {
    ...engine,
    maxInFlight: () => max,
    async translate(texts, from, to) {
      max = Math.max(max, ++inFlight);
      try {
        return await engine.translate(texts, from, to);
      } finally {
        inFlight -= 1;
      }
    },
  };
}

t.test('texts of one pair arriving together share a call; repeats are sent once', async (t) => {
  const server = await startLibreServer();
  t.teardown(() => server.close());
  const batcher = createEngineBatcher({ engine: createLibreTranslateEngine({ url: server.url, timeoutMs: 5_000 }), concurrency: 4 });
  const texts = ['good morning', 'cat', 'big house', 'cat', 'good morning'];
  const translated = await Promise.all([...texts.map((text) => batcher.translate(text, 'en', 'es')), batcher.translate('casa', 'es', 'fr')]);
  t.same(translated, ['buenos días', 'gato', 'grande casa', 'gato', 'buenos días', 'maison']);
  const enEs = server.requests.filter((r) => r.target === 'es');
  t.equal(enEs.length, 1, 'one call for the pair');
  t.same(enEs[0]!.q, ['good morning', 'cat', 'big house'], 'each text once');
  t.equal(server.requests.length, 2, 'the other pair has its own call');
});

t.test('batches are cut at the engine’s size and at most `concurrency` calls run at once', async (t) => {
  const server = await startLibreServer();
  t.teardown(() => server.close());
  const engine = tracked(createLibreTranslateEngine({ url: server.url, timeoutMs: 5_000, maxBatch: 2 }));
  const batcher = createEngineBatcher({ engine, concurrency: 2 });
  const texts = Array.from({ length: 12 }, (_, i) => `cat ${i}`);
  const translated = await Promise.all(texts.map((text) => batcher.translate(text, 'en', 'es')));
  t.same(translated, texts.map((_, i) => `gato ${i}`));
  t.equal(server.requests.length, 6, 'twelve texts in batches of two');
  t.ok(server.requests.every((r) => Array.isArray(r.q) && r.q.length === 2));
  t.equal(engine.maxInFlight(), 2, 'never more than two calls in flight');
});

t.test('a refused batch is asked again text by text: only the refused text fails', async (t) => {
  const server = await startLibreServer();
  t.teardown(() => server.close());
  const batcher = createEngineBatcher({ engine: createLibreTranslateEngine({ url: server.url, timeoutMs: 5_000 }), concurrency: 4 });
  const [cat, refused, house] = await Promise.allSettled(['cat', 'REFUSE this', 'house'].map((text) => batcher.translate(text, 'en', 'es')));
  t.same(cat, { status: 'fulfilled', value: 'gato' });
  t.same(house, { status: 'fulfilled', value: 'casa' });
  t.equal(refused!.status, 'rejected');
  t.match((refused as PromiseRejectedResult).reason, { name: 'EngineRefusedError', reason: 'engine-refused' });
  t.equal(server.requests.length, 4, 'the batch, then each of its three texts');
});
