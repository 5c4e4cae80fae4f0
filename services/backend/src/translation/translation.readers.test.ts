/**
 * Who gets what, in a group of many languages (real infrastructure, the in-process translator):
 * a pivot for French, none for German, nothing for a reader who turned translation off, nothing to
 * translate in emoji; a 4000-character message goes through.
 */
import t from 'tap';
import { ObjectId } from 'mongodb';
import { sendMessage } from '../chat/chat.test-support.js';
import { seenBy, startTranslationHarness, waitForTranslation } from './translation.test-support.js';

t.test('one group, readers in es, fr, de and one with autoTranslate off', async (t) => {
  const h = await startTranslationHarness(t);
  const ada = await h.user('Ada', 'en');
  const bob = await h.user('Bob', 'es');
  const carol = await h.user('Carol', 'fr');
  const dieter = await h.user('Dieter', 'de-AT');
  const erin = await h.user('Erin', 'es-MX');
  const off = await erin.call('PATCH', '/v1/me', { autoTranslate: false });
  t.equal(off.statusCode, 200);
  t.equal(off.json().autoTranslate, false);
  t.equal((await erin.call('GET', '/v1/me')).json().autoTranslate, false);
  t.equal((await bob.call('GET', '/v1/me')).json().autoTranslate, true, 'on by default');
  t.equal((await erin.call('PATCH', '/v1/me', { autoTranslate: 'no' })).statusCode, 400, 'a non-boolean is refused');

  const created = await ada.call('POST', '/v1/conversations', { type: 'group', name: 'Lingua', members: [bob.id, carol.id, dieter.id, erin.id] });
  const group = created.json<{ id: string }>().id;
  const carolWs = await h.ws(carol);
  const sent = await sendMessage(ada, group, 'Good morning, see you at the station tomorrow', 'a-1');
  await h.app.translation.settled();
  const stored = await h.app.chat.repositories.messages.byId(new ObjectId(sent.id));
  t.same(Object.keys(stored?.translations ?? {}).sort(), ['de', 'es', 'fr'], 'one request for the distinct languages; not for Erin (off) nor Ada');

  const carolLive = await carolWs.next((f) => f.type === 'message.translated' && f.messageId === sent.id, 45_000);
  t.match(carolLive.translation, { language: 'fr', status: 'translated', via: ['es'], reason: null }, 'en → fr through es');
  t.match((await waitForTranslation(bob, group, sent.id)).translation, { language: 'es', status: 'translated', via: [] });
  t.match((await waitForTranslation(dieter, group, sent.id)).translation, { language: 'de', status: 'untranslated', text: null, reason: 'no-path' });
  t.equal((await seenBy(erin, group, sent.id)).translation, null, 'autoTranslate off: none');
  t.equal((await seenBy(ada, group, sent.id)).translation, null, 'the sender: none');

  t.test('turning it on again shows the existing Spanish translation, nothing is asked again', async (t) => {
    t.equal((await erin.call('PATCH', '/v1/me', { autoTranslate: true })).statusCode, 200);
    t.match((await seenBy(erin, group, sent.id)).translation, { language: 'es', status: 'translated' });
  });

  t.test('emoji only: nothing to translate, no request', async (t) => {
    const emoji = await sendMessage(ada, group, '🎉🎉 👍', 'a-2');
    await h.app.translation.settled();
    t.equal((await h.app.chat.repositories.messages.byId(new ObjectId(emoji.id)))?.translations, undefined);
    t.equal((await seenBy(bob, group, emoji.id)).translation, null);
  });

  t.test('a 4000-character message is translated too', async (t) => {
    const sentence = 'The train to the station leaves at nine in the morning. ';
    const long = sentence.repeat(Math.ceil(4000 / sentence.length)).slice(0, 4000);
    const res = await ada.call('POST', `/v1/conversations/${group}/messages`, { body: long, clientMessageId: 'a-3' });
    t.equal(res.statusCode, 201);
    const seen = await waitForTranslation(bob, group, res.json<{ id: string }>().id, 90_000);
    t.equal(seen.translation?.status, 'translated');
    t.match(seen.translation?.text, /por la mañana/);
  });
});

t.test('a message written in another language than the sender’s is detected and translated for the sender’s compatriots', async (t) => {
  const h = await startTranslationHarness(t);
  const ada = await h.user('Ada', 'en');
  const bob = await h.user('Bob', 'en');
  const created = await ada.call('POST', '/v1/conversations', { type: 'direct', members: [bob.id] });
  const chat = created.json<{ id: string }>().id;
  const sent = await sendMessage(ada, chat, 'Buenos días, te veo mañana en la estación', 'a-1');
  t.equal((sent as unknown as { language: string }).language, 'es', 'detected: Spanish');
  t.match((await waitForTranslation(bob, chat, sent.id)).translation, { language: 'en', status: 'translated' });
  t.equal((await seenBy(ada, chat, sent.id)).translation, null, 'the sender reads what they wrote');
});
