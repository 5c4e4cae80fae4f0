/** The LibreTranslate adapter against a LibreTranslate-compatible server on a real socket. */
import t from 'tap';
import { EngineRefusedError, EngineUnavailableError } from './engine.js';
import { startLibreServer } from './engine.test-support.js';
import { createLibreTranslateEngine } from './libretranslate.engine.js';

t.test('pairs from /languages; a batch in one call with the api_key', async (t) => {
  const server = await startLibreServer({ apiKey: 'k-123' });
  t.teardown(() => server.close());
  const engine = createLibreTranslateEngine({ url: server.url, timeoutMs: 5_000, apiKey: 'k-123' });
  t.same((await engine.pairs()).map((p) => `${p.from}>${p.to}`).sort(), ['en>es', 'es>en', 'es>fr']);
  t.same(await engine.translate(['Good morning', 'big cat'], 'en', 'es'), ['buenos días', 'grande gato']);
  t.equal(server.requests.length, 1, 'one call for the batch');
  t.same(server.requests[0], { q: ['Good morning', 'big cat'], source: 'en', target: 'es', format: 'text', api_key: 'k-123' });
});

t.test('4xx answers: a wrong key or a refused text is engine-refused, over the limit too-long', async (t) => {
  const server = await startLibreServer({ apiKey: 'right', charLimit: 20 });
  t.teardown(() => server.close());
  const wrongKey = createLibreTranslateEngine({ url: server.url, timeoutMs: 5_000, apiKey: 'wrong' });
  await t.rejects(wrongKey.translate(['cat'], 'en', 'es'), { name: 'EngineRefusedError', reason: 'engine-refused' });
  const engine = createLibreTranslateEngine({ url: server.url, timeoutMs: 5_000, apiKey: 'right' });
  await t.rejects(engine.translate(['REFUSE me'], 'en', 'es'), { name: 'EngineRefusedError', reason: 'engine-refused' });
  await t.rejects(engine.translate(['a house '.repeat(5)], 'en', 'es'), { name: 'EngineRefusedError', reason: 'too-long' });
  const error = await engine.translate(['REFUSE secret words'], 'en', 'es').catch((err: unknown) => err);
  t.ok(error instanceof EngineRefusedError);
  t.notMatch((error as Error).message, 'secret', 'the error never carries the text');
});

t.test('5xx, a hung server and a closed one are unavailable', async (t) => {
  const server = await startLibreServer({ failing: true });
  t.teardown(() => server.close());
  const engine = createLibreTranslateEngine({ url: server.url, timeoutMs: 500 });
  await t.rejects(engine.translate(['cat'], 'en', 'es'), EngineUnavailableError);
  await t.rejects(engine.pairs(), EngineUnavailableError);
  server.options.failing = false;
  server.options.silent = true;
  const started = Date.now();
  await t.rejects(engine.translate(['cat'], 'en', 'es'), { name: 'EngineUnavailableError', message: /no answer within 500 ms/ });
  t.ok(Date.now() - started < 3_000, 'bounded by the timeout');
  await server.close();
  await t.rejects(engine.pairs(), EngineUnavailableError);
});
