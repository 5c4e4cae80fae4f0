/**
 * The missed-message mail end to end on real infrastructure: the backend publishes message
 * events, the digest saga times the mail, the in-process verifier mails it to the SMTP sink.
 */
import t from 'tap';
import { CHAT_MESSAGE_CREATED_QUEUE, DEAD_LETTER_REASON_HEADER, deadLetterQueueName, namespacedQueue } from '@ashchat/contracts';
import { waitFor } from '@ashchat/testkit';
import { directConversation, sendMessage } from '../chat/chat.test-support.js';
import { startRegistrationHarness } from '../registration/registration.harness.test-support.js';
import { contextOf, DIGEST_ENV, namedUser, waitForDigest } from './digest.test-support.js';

t.test('an offline user with unread messages and a mention gets exactly one mail; a muted conversation stays out of it', async (t) => {
  const h = await startRegistrationHarness(t, { env: DIGEST_ENV });
  const app = await h.startApp();
  const ada = await namedUser(app, 'Ada Digest');
  const bob = await namedUser(app, 'Bob Digest');
  const carol = await namedUser(app, 'Carol Digest');
  const direct = await directConversation(bob, ada);
  const group = (await carol.call('POST', '/v1/conversations', { type: 'group', name: 'Quiet room', members: [ada.id] })).json<{ id: string }>().id;
  t.equal((await ada.call('PUT', `/v1/me/mutes/${group}`, { until: null })).statusCode, 200);

  await sendMessage(carol, group, 'muted secret words', 'c-1');
  await sendMessage(bob, direct, 'Hello @Ada Digest, are you there?', 'b-1');
  await sendMessage(bob, direct, 'Second <b>line</b> & more', 'b-2');

  const [mail] = await h.waitForMails(ada.email, 1);
  t.equal(mail!.Subject, 'You have 2 unread messages on AshChat');
  t.match(mail!.Text, /Bob Digest: 2 unread messages, 1 mention of you/);
  t.match(mail!.Text, /Bob Digest: Hello @Ada Digest, are you there\?/);
  t.match(mail!.HTML, /Second &lt;b&gt;line&lt;\/b&gt; &amp; more/, 'user text is escaped in the HTML part');
  t.notMatch(`${mail!.Text}${mail!.HTML}`, /muted secret|Quiet room|Carol/, 'nothing of the muted conversation');
  t.match(mail!.Text, /\/settings/, 'the opt-out is linked');

  // One per period: the saga holds further messages back until the cooldown ends.
  await waitForDigest(h.db, ada.id, (d) => d.state === 'cooldown', 'the digest in its cooldown');
  await sendMessage(bob, direct, 'one more', 'b-3');
  await waitForDigest(h.db, ada.id, (d) => d.state === 'cooldown' && contextOf(d).unreadSince !== null, 'the new message remembered');
  t.equal((await h.mailbox.search(`to:"${ada.email}"`)).length, 1, 'still exactly one mail');
  t.equal(await h.db.collection('digests').countDocuments({ 'index.userId': ada.id }), 1, 'one saga per user');
});

t.test('opted out (digestEmails: false): no mail', async (t) => {
  const h = await startRegistrationHarness(t, { env: DIGEST_ENV });
  const app = await h.startApp();
  const ada = await namedUser(app, 'Ada Quiet');
  const bob = await namedUser(app, 'Bob Loud');
  const off = await ada.call('PATCH', '/v1/me', { digestEmails: false });
  t.equal(off.statusCode, 200);
  t.equal(off.json().digestEmails, false);
  t.equal((await ada.call('GET', '/v1/me')).json().digestEmails, false);
  t.equal((await ada.call('PATCH', '/v1/me', { digestEmails: 'no' })).statusCode, 400);

  await sendMessage(bob, await directConversation(bob, ada), 'Hello @Ada Quiet', 'b-1');
  // started (1), unread (2), timer fired (3), skipped (4): the check ran and decided.
  await waitForDigest(h.db, ada.id, (d) => d.state === 'idle' && d.version >= 4, 'the check to skip the mail');
  t.equal((await h.mailbox.search(`to:"${ada.email}"`)).length, 0);
});

t.test('coming online before the timer fires: no mail', async (t) => {
  const h = await startRegistrationHarness(t, { env: { ...DIGEST_ENV, DIGEST_DELAY_MS: '4000' } });
  const app = await h.startApp();
  const ada = await namedUser(app, 'Ada Back');
  const bob = await namedUser(app, 'Bob Early');
  await sendMessage(bob, await directConversation(bob, ada), 'Are you there?', 'b-1');
  await waitForDigest(h.db, ada.id, (d) => d.state === 'waiting', 'the digest timer to run');
  const release = app.presence.connect(ada.id);
  t.teardown(release);
  await waitFor(async () => (await app.presence.get([ada.id]))[0]?.status === 'online', { timeoutMs: 5_000, message: 'Ada online' });
  await waitForDigest(h.db, ada.id, (d) => d.state === 'idle' && d.version >= 4, 'the check to find Ada online');
  t.equal((await h.mailbox.search(`to:"${ada.email}"`)).length, 0);
});

t.test('a malformed message event is dead-lettered with the reason; the consumer goes on', async (t) => {
  const h = await startRegistrationHarness(t, { env: DIGEST_ENV });
  const app = await h.startApp();
  const queue = namespacedQueue(h.namespace, CHAT_MESSAGE_CREATED_QUEUE);
  const raw = h.amqp.createPublisher({ confirm: true });
  t.teardown(() => raw.close());
  await raw.send({ routingKey: queue, messageId: 'bad-json', contentType: 'application/json' }, Buffer.from('{"type": '));
  await raw.send({ routingKey: queue, messageId: 'bad-shape' }, { type: 'chat.message.created', messageId: 'nope', body: 'a body never belongs here' });
  const dead = new Map<string, string>();
  await waitFor(
    async () => {
      const msg = await h.amqp.basicGet({ queue: deadLetterQueueName(queue), noAck: true });
      if (msg) dead.set(String(msg.messageId), String(msg.headers?.[DEAD_LETTER_REASON_HEADER]));
      return dead.size >= 2;
    },
    { timeoutMs: 10_000, message: 'two dead letters' },
  );
  t.equal(dead.get('bad-json'), 'invalid JSON');
  t.match(dead.get('bad-shape'), /^schema validation failed/);

  // Still consuming: a real message still ends in a mail.
  const ada = await namedUser(app, 'Ada After');
  const bob = await namedUser(app, 'Bob After');
  await sendMessage(bob, await directConversation(bob, ada), 'still working', 'b-1');
  const [mail] = await h.waitForMails(ada.email, 1);
  t.match(mail!.Text, /still working/);
});
