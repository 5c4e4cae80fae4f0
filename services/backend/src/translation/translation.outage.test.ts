/**
 * The translator is not on the delivery path: while it is down messages go out at once and history
 * says `pending`; once it is back the translation arrives, once. Malformed replies are dead-lettered.
 */
import t from 'tap';
import { DEAD_LETTER_REASON_HEADER, deadLetterQueueName } from '@ashchat/contracts';
import { waitFor } from '@ashchat/testkit';
import { directConversation, sendMessage } from '../chat/chat.test-support.js';
import { seenBy, startTranslationHarness, waitForTranslation } from './translation.test-support.js';

/** How long to watch for a second `message.translated` that must not come. */
const QUIET_MS = 1_500;

t.test('translator down: delivered at once, history pending; translator back: the translation arrives once', async (t) => {
  const h = await startTranslationHarness(t, { translator: false });
  const ada = await h.user('Ada', 'en');
  const bob = await h.user('Bob', 'es');
  const chat = await directConversation(ada, bob);
  const bobWs = await h.ws(bob);

  const sent = await sendMessage(ada, chat, 'Good morning, see you at the station tomorrow', 'a-1');
  await bobWs.next((f) => f.type === 'message.new' && (f.message as { id: string }).id === sent.id);
  await h.app.translation.settled();
  t.match((await seenBy(bob, chat, sent.id)).translation, { language: 'es', status: 'pending', text: null, via: [], reason: null });
  t.equal(await h.waiting(h.queues.requests), 1, 'the one request waits in the durable queue');

  await h.startTranslator();
  const first = await bobWs.next((f) => f.type === 'message.translated' && f.messageId === sent.id, 45_000);
  t.match(first.translation, { language: 'es', status: 'translated' });
  t.match((await waitForTranslation(bob, chat, sent.id)).translation?.text, /Buenos días/);
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  t.equal(bobWs.frames.filter((f) => f.type === 'message.translated').length, 1, 'exactly once');
});

t.test('a retried send asks nothing again once translated', async (t) => {
  const h = await startTranslationHarness(t);
  const ada = await h.user('Ada', 'en');
  const bob = await h.user('Bob', 'es');
  const chat = await directConversation(ada, bob);
  const sent = await sendMessage(ada, chat, 'See you at the station tomorrow morning', 'a-1');
  await waitForTranslation(bob, chat, sent.id);
  // Down, so a request would stay in the queue to be counted.
  await h.stopTranslator();
  const retry = await ada.call('POST', `/v1/conversations/${chat}/messages`, { body: 'See you at the station tomorrow morning', clientMessageId: 'a-1' });
  t.equal(retry.statusCode, 200);
  await h.app.translation.settled();
  t.equal(await h.waiting(h.queues.requests), 0, 'no new request');
  t.equal(retry.json().id, sent.id);
});

t.test('malformed replies are dead-lettered with the reason; the consumer goes on', async (t) => {
  const h = await startTranslationHarness(t, { translator: false });
  const raw = h.amqp.createPublisher({ confirm: true });
  t.teardown(() => raw.close());
  await raw.send({ routingKey: h.queues.replies, messageId: 'bad-json', contentType: 'application/json' }, Buffer.from('{"requestId": '));
  await raw.send({ routingKey: h.queues.replies, messageId: 'bad-shape' }, { requestId: 'nope', messageId: 'x', version: -1, source: 'en', results: [] });
  const dlq = deadLetterQueueName(h.queues.replies);
  const reasons: string[] = [];
  await waitFor(
    async () => {
      const msg = await h.amqp.basicGet({ queue: dlq, noAck: true });
      if (msg) reasons.push(String(msg.headers?.[DEAD_LETTER_REASON_HEADER]));
      return reasons.length >= 2 || undefined;
    },
    { timeoutMs: 10_000, intervalMs: 50, message: 'both replies dead-lettered' },
  );
  t.equal(reasons.length, 2);
  for (const reason of reasons) t.ok(reason.length > 0 && reason !== 'undefined', `a reason: ${reason}`);

  // Still consuming: a well-formed reply for a message that does not exist is handled (and changes nothing).
  const before = h.app.translation.replyStats.unchanged;
  const messageId = '665f1c9eb3d4e5f6a7b8c9e1';
  await raw.send(
    { routingKey: h.queues.replies, messageId: 'ok' },
    { requestId: `${messageId}:0`, messageId, version: 0, source: 'en', results: [{ target: 'es', status: 'untranslated', reason: 'no-path' }] },
  );
  await waitFor(() => h.app.translation.replyStats.unchanged > before || undefined, { timeoutMs: 10_000, message: 'the valid reply handled' });
  t.pass('the consumer goes on');
});
