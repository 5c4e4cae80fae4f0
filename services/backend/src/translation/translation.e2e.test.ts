/**
 * Machine translation end to end on real infrastructure: the backend asks the in-process translator
 * (Apertium), stores the reply on the message and sends `message.translated` to the reader.
 */
import t from 'tap';
import { ObjectId } from 'mongodb';
import { TranslationReply } from '@ashchat/contracts';
import { createTypedPublisher, createSilentLogger } from '@ashchat/messaging';
import { waitFor } from '@ashchat/testkit';
import { directConversation, sendMessage } from '../chat/chat.test-support.js';
import type { Frame } from '../realtime/ws.test-support.js';
import { historyOf, lastMessageIn, seenBy, startTranslationHarness, waitForTranslation } from './translation.test-support.js';

const GOOD_MORNING = 'Good morning, see you at the station tomorrow';
/** How long to watch for a second `message.translated` that must not come. */
const QUIET_MS = 1_500;

const translatedFrames = (frames: readonly Frame[], messageId: string): Frame[] => frames.filter((f) => f.type === 'message.translated' && f.messageId === messageId);

t.test('Ada (en) writes to Bob (es): Bob gets the message at once, then its translation once; history shows it to Bob only', async (t) => {
  const h = await startTranslationHarness(t);
  const ada = await h.user('Ada', 'en-GB');
  const bob = await h.user('Bob', 'es');
  const chat = await directConversation(ada, bob);
  const bobWs = await h.ws(bob);
  const adaWs = await h.ws(ada);

  const sent = await sendMessage(ada, chat, GOOD_MORNING, 'a-1');
  t.equal((sent as unknown as { language: string }).language, 'en', 'the body is recorded as English');
  t.equal((sent as unknown as { translation: unknown }).translation, null, "the sender's answer carries no translation");
  const live = await bobWs.nextOf('message.new');
  t.equal((live.message as { translation: unknown }).translation, null, 'message.new carries no translation');
  // Read now, Bob's conversation list is cached before the translation arrives (most runs): it must not keep the old preview.
  t.equal((await lastMessageIn(bob, chat)).id, sent.id, "the message is the last one in Bob's list");
  // Bounded generously: the engine's first call on a freshly started machine can be slow.
  const translated = await bobWs.next((f) => f.type === 'message.translated' && f.messageId === sent.id, 45_000);
  t.ok(bobWs.frames.indexOf(live) < bobWs.frames.indexOf(translated), 'the message comes before its translation');
  t.equal(translated.conversationId, chat);
  const translation = translated.translation as { language: string; status: string; text: string; via: string[]; reason: null };
  t.match(translation, { language: 'es', status: 'translated', via: [], reason: null });
  t.match(translation.text, /Buenos días/);

  const bobSees = await seenBy(bob, chat, sent.id);
  t.same(bobSees.translation, translation, "Bob's history has the same translation");
  t.equal(bobSees.body, GOOD_MORNING, 'the body stays as written');
  t.equal((await seenBy(ada, chat, sent.id)).translation, null, "Ada's history: none (her own message, her language)");
  // The conversation list's preview, as the history: the translation arrived after Bob's list was cached.
  const bobsPreview = await waitFor(async () => {
    const last = await lastMessageIn(bob, chat);
    return last.translation?.status === 'translated' ? last : undefined;
  }, { timeoutMs: 5_000, message: "Bob's conversation list to show the translation" });
  t.same(bobsPreview.translation, translation, "Bob's conversation list previews the message in Spanish");
  t.equal((await lastMessageIn(ada, chat)).translation, null, "Ada's list: her own message as written");

  // A repeat of the reply (the translator answering a redelivered request) changes nothing and sends nothing.
  const publisher = createTypedPublisher(h.amqp, { logger: createSilentLogger(), queues: [h.queues.replies] });
  t.teardown(() => publisher.close());
  const unchangedBefore = h.app.translation.replyStats.unchanged;
  const repeat: TranslationReply = {
    requestId: `${sent.id}:0`,
    messageId: sent.id,
    version: 0,
    source: 'en',
    results: [{ target: 'es', status: 'translated', text: 'otra cosa', via: [] }],
  };
  await publisher.send(h.queues.replies, TranslationReply, repeat, { correlationId: repeat.requestId });
  await waitFor(() => h.app.translation.replyStats.unchanged > unchangedBefore || undefined, { timeoutMs: 10_000, message: 'the repeated reply handled' });
  t.same((await seenBy(bob, chat, sent.id)).translation, translation, 'the stored translation is unchanged');
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  t.equal(translatedFrames(bobWs.frames, sent.id).length, 1, 'the translation arrived exactly once');
  t.equal(translatedFrames(adaWs.frames, sent.id).length, 0, 'the sender gets none');

  t.test('an edit is a new text: a new request, a new translation; the old one no longer shows', async (t) => {
    const edited = await ada.call('PATCH', `/v1/conversations/${chat}/messages/${sent.id}`, { body: 'Good evening, see you at the airport' });
    t.equal(edited.statusCode, 200);
    t.equal(edited.json().translation, null);
    const editedLive = await bobWs.nextOf('message.edited');
    t.equal((editedLive.message as { translation: unknown }).translation, null);
    const second = await bobWs.next((f) => f.type === 'message.translated' && f.messageId === sent.id, 20_000);
    t.match((second.translation as { text: string }).text, /aeropuerto/);
    const after = await waitForTranslation(bob, chat, sent.id);
    t.match(after.translation?.text, /aeropuerto/, 'history: the translation of the edited text');
    t.notMatch(after.translation?.text, /estación/);
  });

  t.test("Bob turns auto-translation off: at once his list previews the original (the cached page is dropped), and back", async (t) => {
    const before = await lastMessageIn(bob, chat); // cached now
    t.equal(before.translation?.status, 'translated');
    t.equal((await bob.call('PATCH', '/v1/me', { autoTranslate: false })).statusCode, 200);
    t.equal((await lastMessageIn(bob, chat)).translation, null, 'the original, without waiting for the cache to expire');
    t.equal((await bob.call('PATCH', '/v1/me', { autoTranslate: true })).statusCode, 200);
    t.same((await lastMessageIn(bob, chat)).translation, before.translation, 'the translation again');
  });

  t.test('a deleted message loses its translations with its body', async (t) => {
    const deleted = await ada.call('DELETE', `/v1/conversations/${chat}/messages/${sent.id}`);
    t.equal(deleted.statusCode, 200);
    t.equal((await seenBy(bob, chat, sent.id)).translation, null);
    const stored = await h.app.chat.repositories.messages.byId(new ObjectId(sent.id));
    t.equal(stored?.translations, undefined, 'nothing of the text is left in the document');
  });
});

t.test('a WebSocket resume replays missed messages with the reader’s translation', async (t) => {
  const h = await startTranslationHarness(t);
  const ada = await h.user('Ada', 'en');
  const bob = await h.user('Bob', 'es');
  const chat = await directConversation(ada, bob);
  const sent = await sendMessage(ada, chat, GOOD_MORNING, 'a-1');
  await waitForTranslation(bob, chat, sent.id);
  const bobWs = await h.ws(bob);
  bobWs.send({ type: 'resume', requestId: 'res', cursors: [{ conversationId: chat, lastMessageId: null }] });
  const replayed = await bobWs.next((f) => f.type === 'message.new' && (f.message as { id: string }).id === sent.id);
  t.match((replayed.message as { translation: unknown }).translation, { language: 'es', status: 'translated', text: /Buenos días/ });
  await bobWs.nextOf('ack', 'res');
  const adaWs = await h.ws(ada);
  adaWs.send({ type: 'resume', requestId: 'res', cursors: [{ conversationId: chat, lastMessageId: null }] });
  const own = await adaWs.next((f) => f.type === 'message.new' && (f.message as { id: string }).id === sent.id);
  t.equal((own.message as { translation: unknown }).translation, null, 'the sender: none');
  t.equal((await historyOf(ada, chat))[0]?.translation, null);
});
