/** The translator end to end on real RabbitMQ, Redis and Apertium: requests in, replies out. */
import t, { type Test } from 'tap';
import { DEAD_LETTER_REASON_HEADER, TranslationReply } from '@ashchat/contracts';
import { validationReason } from '@ashchat/messaging';
import { waitFor } from '@ashchat/testkit';
import { loadTranslatorConfig } from './config.js';
import { startEngineGate } from './engine/engine.test-support.js';
import { createApertiumEngine } from './engine/index.js';
import { createTranslator } from './translator.js';
import { countingEngine, startRequester, testEnv, translationRequest, type CountingEngine, type Requester } from './translator.test-support.js';

const MORNING = 'Good morning, see you at the station tomorrow';

async function startAll(t: Test, engineUrl?: string): Promise<{ requester: Requester; engine: CountingEngine; ready: () => Promise<number> }> {
  const env = await testEnv();
  const config = loadTranslatorConfig({ env, envFile: false });
  const engine = countingEngine(createApertiumEngine({ url: engineUrl ?? config.TRANSLATION_URL, timeoutMs: 30_000 }));
  const requester = await startRequester(config.QUEUE_NAMESPACE);
  const translator = await createTranslator(config, { engine });
  await translator.start({ listen: false });
  t.teardown(async () => {
    await translator.close();
    await requester.close();
  });
  const ready = async (): Promise<number> => (await translator.health.inject({ method: 'GET', url: '/ready' })).statusCode;
  return { requester, engine, ready };
}

t.test('one request, several targets: direct, through a pivot, and no path', async (t) => {
  const { requester } = await startAll(t);
  const request = translationRequest({ text: MORNING, targets: ['es', 'fr', 'de'] });
  await requester.send(request);
  const reply = (await requester.reply(request.requestId)) as TranslationReply;
  t.equal(validationReason(TranslationReply, reply), undefined, 'the reply keeps its contract');
  t.same({ ...reply, results: [] }, { requestId: request.requestId, messageId: request.messageId, version: request.version, source: 'en', results: [] });
  const [es, fr, de] = reply.results;
  t.match(es, { target: 'es', status: 'translated', via: [] });
  t.match(es, { text: /Buenos días/ });
  t.match(fr, { target: 'fr', status: 'translated', via: ['es'] });
  t.match(fr, { text: /Bon/i }, 'French, made from the Spanish');
  t.same(de, { target: 'de', status: 'untranslated', reason: 'no-path' }, 'Debian has no German pair');
});

t.test('a 10 KB text is translated; an emoji-only text comes back unchanged without an engine call', async (t) => {
  const { requester, engine } = await startAll(t);
  const long = translationRequest({ text: 'The big house is near the station and the cat sleeps in the garden. '.repeat(150) });
  t.ok(long.text.length > 10_000);
  const emoji = translationRequest({ text: '👍🎉 🙂', targets: ['es', 'fr'] });
  await requester.send(long);
  await requester.send(emoji);
  const longReply = (await requester.reply(long.requestId, 60_000)) as TranslationReply;
  t.match(longReply.results[0], { target: 'es', status: 'translated', text: /casa/ });
  const emojiReply = (await requester.reply(emoji.requestId)) as TranslationReply;
  t.same(emojiReply.results, [
    { target: 'es', status: 'translated', text: '👍🎉 🙂', via: [] },
    { target: 'fr', status: 'translated', text: '👍🎉 🙂', via: [] },
  ]);
  t.ok(engine.calls.every((c) => !c.texts.includes(emoji.text)), 'the engine never saw the emoji');
});

t.test('a text translated once is answered from the cache, pivots included', async (t) => {
  const { requester, engine } = await startAll(t);
  const first = translationRequest({ text: 'The cat sleeps in the house', targets: ['es', 'fr'] });
  await requester.send(first);
  const firstReply = (await requester.reply(first.requestId)) as TranslationReply;
  const calls = engine.calls.length;
  t.equal(calls, 2, 'en→es once (shared by the French pivot), es→fr once');
  const again = translationRequest({ text: first.text, targets: ['fr', 'es'] });
  await requester.send(again);
  const againReply = (await requester.reply(again.requestId)) as TranslationReply;
  t.equal(engine.calls.length, calls, 'no engine call the second time');
  t.same(againReply.results, [firstReply.results[1], firstReply.results[0]], 'the same translations, via kept');
});

t.test('malformed requests are dead-lettered with the reason; the next good one is answered', async (t) => {
  const { requester } = await startAll(t);
  await requester.publishRaw('{not json', { replyTo: requester.replyQueue, correlationId: 'x:1' });
  let dead = await requester.deadLetter();
  t.match(String(dead.headers?.[DEAD_LETTER_REASON_HEADER]), /JSON/i);
  await requester.publishRaw({ requestId: 'nope', text: 'Hi' }, { replyTo: requester.replyQueue, correlationId: 'nope' });
  dead = await requester.deadLetter();
  t.match(String(dead.headers?.[DEAD_LETTER_REASON_HEADER]), /requestId|messageId|targets/);
  const noReplyTo = translationRequest();
  await requester.publishRaw(noReplyTo, { correlationId: noReplyTo.requestId });
  dead = await requester.deadLetter();
  t.match(String(dead.headers?.[DEAD_LETTER_REASON_HEADER]), 'request without replyTo');
  const good = translationRequest({ text: 'Good morning' });
  await requester.send(good);
  t.match(await requester.reply(good.requestId), { results: [{ target: 'es', status: 'translated' }] });
  t.equal(requester.replies.length, 1, 'only the good request was answered');
});

t.test('while the engine is unreachable a request waits, and is answered once it is back', async (t) => {
  const gate = await startEngineGate((await testEnv()).TRANSLATION_URL!, true);
  t.teardown(() => gate.close());
  const { requester, engine, ready } = await startAll(t, gate.url);
  const request = translationRequest({ text: 'Good morning', targets: ['es', 'fr'] });
  await requester.send(request);
  await waitFor(() => gate.refused >= 3, { message: 'the translator trying the engine again' });
  t.equal(await ready(), 503, 'not ready without the engine');
  t.equal(requester.replies.length, 0, 'no reply, and no untranslated one');
  t.equal(engine.calls.length, 0, 'it never got as far as a translation');
  gate.up();
  const reply = (await requester.reply(request.requestId, 30_000)) as TranslationReply;
  t.match(reply.results, [
    { target: 'es', status: 'translated', text: /Buenos días/ },
    { target: 'fr', status: 'translated', via: ['es'] },
  ]);
  t.equal(await ready(), 200);
  t.equal(requester.replies.length, 1);
});
