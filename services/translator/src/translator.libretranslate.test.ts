/** The translator configured for LibreTranslate (a compatible server on a real socket), on real RabbitMQ and Redis. */
import t from 'tap';
import type { TranslationReply } from '@ashchat/contracts';
import { loadTranslatorConfig } from './config.js';
import { startLibreServer } from './engine/engine.test-support.js';
import { createTranslator } from './translator.js';
import { startRequester, testEnv, translationRequest } from './translator.test-support.js';

t.test('batches requests of a pair, sends the key, maps refusals to untranslated reasons', async (t) => {
  const server = await startLibreServer({ apiKey: 'k-lt', charLimit: 200 });
  t.teardown(() => server.close());
  const env = await testEnv({ TRANSLATION_PROVIDER: 'libretranslate', TRANSLATION_URL: server.url, TRANSLATION_API_KEY: 'k-lt' });
  const config = loadTranslatorConfig({ env, envFile: false });
  const requester = await startRequester(config.QUEUE_NAMESPACE);
  const translator = await createTranslator(config);
  t.teardown(async () => {
    await translator.close();
    await requester.close();
  });

  const requests = [
    translationRequest({ text: 'good morning', targets: ['es', 'fr', 'en'] }),
    translationRequest({ text: 'big cat', targets: ['es'] }),
    translationRequest({ text: 'REFUSE this', targets: ['es'] }),
    translationRequest({ text: 'house '.repeat(50), targets: ['es'] }),
    translationRequest({ text: 'gato', source: 'es', targets: ['de'] }),
  ];
  // Published before the worker consumes, so they arrive together and share calls.
  for (const request of requests) await requester.send(request);
  await translator.start({ listen: false });
  const [morning, cat, refused, long, german] = (await Promise.all(requests.map((r) => requester.reply(r.requestId)))) as TranslationReply[];

  t.same(morning!.results, [
    { target: 'es', status: 'translated', text: 'buenos días', via: [] },
    { target: 'fr', status: 'translated', text: 'bons jours', via: ['es'] },
    { target: 'en', status: 'translated', text: 'good morning', via: [] },
  ]);
  t.same(cat!.results, [{ target: 'es', status: 'translated', text: 'grande gato', via: [] }]);
  t.same(refused!.results, [{ target: 'es', status: 'untranslated', reason: 'engine-refused' }]);
  t.same(long!.results, [{ target: 'es', status: 'untranslated', reason: 'too-long' }]);
  t.same(german!.results, [{ target: 'de', status: 'untranslated', reason: 'no-path' }]);

  t.ok(server.requests.every((r) => r.api_key === 'k-lt'), 'every call carries the key');
  const enEs = server.requests.filter((r) => r.source === 'en' && r.target === 'es');
  t.ok(enEs.some((r) => Array.isArray(r.q) && r.q.length > 1), 'texts of en→es shared a call');
  t.ok(enEs.length < 4 + 3, 'fewer calls than texts plus the refusal retries');
});
