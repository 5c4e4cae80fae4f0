/**
 * The message-event consumer skips the saga for recipients whose digest is armed: 20 messages to
 * 10 offline members cost the saga sends of the first message only (2 per member: not found, then
 * after the start), not 200, even with events handled concurrently. Real broker,
 * real saga runtime and store; the counts come from wrapping the runtime the consumer is given.
 */
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { ObjectId } from 'mongodb';
import { deadLetterQueueName } from '@ashchat/contracts';
import { createSilentLogger } from '@ashchat/messaging';
import { waitFor } from '@ashchat/testkit';
import { startRegistrationHarness } from '../registration/registration.harness.test-support.js';
import { createDigestEventConsumer, createMessageEventsPublisher, unreadNeedless } from './digest.events.js';
import { digestIdOf } from './digest.machine.js';
import { createQuietDigests, unreadQuietUntil, type QuietDigests } from './digest.quiet.js';
import { DIGEST_ENV, waitForDigest } from './digest.test-support.js';

const ctx = (o: { unreadSince?: number | null; digest?: number; cooldown?: number }) => ({
  userId: 'u',
  delayMs: 1,
  periodMs: 1,
  seq: 0,
  cycle: 0,
  pendingEffectId: null,
  pendingRequestId: null,
  lastSentAt: null,
  unreadSince: o.unreadSince ?? null,
  timers: {
    ...(o.digest === undefined ? {} : { digest: { token: 't1', at: o.digest } }),
    ...(o.cooldown === undefined ? {} : { cooldown: { token: 't2', at: o.cooldown } }),
  },
});

t.test('UNREAD is a no-op only while waiting, or in sending/cooldown with a message remembered', async (t) => {
  t.equal(unreadQuietUntil({ value: 'waiting', context: ctx({ digest: 500 }) }), 500);
  t.equal(unreadQuietUntil({ value: 'cooldown', context: ctx({ cooldown: 900, unreadSince: 10 }) }), 900);
  t.equal(unreadQuietUntil({ value: 'sending', context: ctx({ cooldown: 900, unreadSince: 10 }) }), 900);
  t.equal(unreadQuietUntil({ value: 'cooldown', context: ctx({ cooldown: 900 }) }), null, 'nothing remembered yet: the first UNREAD counts');
  t.equal(unreadQuietUntil({ value: 'idle', context: ctx({}) }), null);
  t.equal(unreadQuietUntil({ value: 'composing', context: ctx({ unreadSince: 10 }) }), null, 'composing ends by an effect, not a deadline');
});

t.test('the memory ends at the deadline minus the margin, and stays bounded', async (t) => {
  let now = 1_000;
  const quiet = createQuietDigests({ marginMs: 100, maxEntries: 2, now: () => now });
  quiet.learn('a', { value: 'waiting', context: ctx({ digest: 1_500 }) });
  t.ok(quiet.isQuiet('a'));
  now = 1_399;
  t.ok(quiet.isQuiet('a'));
  now = 1_400;
  t.notOk(quiet.isQuiet('a'), 'not within the margin of the timer');
  quiet.learn('b', { value: 'waiting', context: ctx({ digest: 1_450 }) });
  t.notOk(quiet.isQuiet('b'), 'a deadline inside the margin is not remembered');
  for (const id of ['c', 'd', 'e']) quiet.learn(id, { value: 'waiting', context: ctx({ digest: 9_000 }) });
  t.equal(quiet.size, 2);
  t.notOk(quiet.isQuiet('c'), 'the oldest went first');
  quiet.learn('d', { value: 'idle', context: ctx({}) });
  t.notOk(quiet.isQuiet('d'), 'a saga seen idle again is forgotten');
});

t.test('20 messages to 10 offline members: saga sends for the first message only, every digest armed', async (t) => {
  // A long delay: the timers stay armed for the whole test.
  const h = await startRegistrationHarness(t, { env: { ...DIGEST_ENV, DIGEST_DELAY_MS: '600000' } });
  const app = await h.startApp();
  const queue = `${h.namespace}.digest-quiet-test`;
  t.teardown(async () => {
    await h.amqp.queueDelete({ queue }).catch(() => undefined);
    await h.amqp.queueDelete({ queue: deadLetterQueueName(queue) }).catch(() => undefined);
  });
  let sends = 0;
  let checks = 0;
  const runtime = {
    start: app.digest.runtime.start,
    send: (...args: Parameters<typeof app.digest.runtime.send>) => {
      sends += 1;
      return app.digest.runtime.send(...args);
    },
  };
  const inner = createQuietDigests({ marginMs: 1_000, maxEntries: 1_000 });
  const quiet: QuietDigests = {
    ...inner,
    isQuiet: (userId) => {
      checks += 1;
      return inner.isQuiet(userId);
    },
    get size() {
      return inner.size;
    },
  };
  const logger = createSilentLogger();
  // Called once per recipient and event before anything else: counts the events handled.
  let considered = 0;
  const connectedHere = (): boolean => {
    considered += 1;
    return false;
  };
  const consumer = createDigestEventConsumer(h.amqp, { queue, runtime, presence: app.presence, delayMs: 600_000, periodMs: 3_600_000, logger, quiet, connectedHere });
  t.teardown(() => consumer.close());
  await consumer.ready;
  const publisher = createMessageEventsPublisher(h.amqp, { queue, logger });
  t.teardown(() => publisher.close());

  const sender = randomUUID();
  const members = Array.from({ length: 10 }, () => randomUUID());
  const conversationId = new ObjectId().toHexString();
  for (let i = 0; i < 20; i += 1) {
    await publisher.port.published({ messageId: new ObjectId().toHexString(), conversationId, senderId: sender, recipientIds: [sender, ...members], mentionedUserIds: [], at: Date.now() });
  }
  // Once every digest is armed no event can send again (each re-checks after its presence read).
  await waitFor(async () => considered === 200 && inner.size === 10, { timeoutMs: 60_000, intervalMs: 20, message: 'all 20 events handled' });
  t.ok(checks >= 200, 'every offline recipient of every message considered');
  // The first message per member: a send that finds no saga, the start, the send again. None after.
  t.equal(sends, 20, 'two saga sends per member, for the first message; the other 19 cost none');
  for (const id of members) await waitForDigest(h.db, id, (d) => d.state === 'waiting', `${digestIdOf(id)} armed`);
});

t.test('recipients connected to this instance, or whose digest is armed, cost no presence read and no saga send', async (t) => {
  const h = await startRegistrationHarness(t, { env: { ...DIGEST_ENV, DIGEST_DELAY_MS: '600000' } });
  const app = await h.startApp();
  const queue = `${h.namespace}.digest-local-test`;
  t.teardown(async () => {
    await h.amqp.queueDelete({ queue }).catch(() => undefined);
    await h.amqp.queueDelete({ queue: deadLetterQueueName(queue) }).catch(() => undefined);
  });
  const [sender, connected, armed, offline] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const asked: string[][] = [];
  const presence = {
    get: (userIds: readonly string[]) => {
      asked.push([...userIds]);
      return app.presence.get(userIds);
    },
  };
  const sent: string[] = [];
  const runtime = {
    start: app.digest.runtime.start,
    send: (...args: Parameters<typeof app.digest.runtime.send>) => {
      sent.push(args[0]);
      return app.digest.runtime.send(...args);
    },
  };
  const quiet = createQuietDigests({ marginMs: 1_000, maxEntries: 1_000 });
  quiet.learn(armed, { value: 'waiting', context: { ...ctx({ digest: Date.now() + 600_000 }), userId: armed } });
  const logger = createSilentLogger();
  const consumer = createDigestEventConsumer(h.amqp, {
    queue,
    runtime,
    presence,
    delayMs: 600_000,
    periodMs: 3_600_000,
    logger,
    quiet,
    connectedHere: (userId) => userId === connected,
  });
  t.teardown(() => consumer.close());
  await consumer.ready;
  const publisher = createMessageEventsPublisher(h.amqp, { queue, logger });
  t.teardown(() => publisher.close());

  const recipientIds = [sender, connected, armed, offline];
  await publisher.port.published({ messageId: new ObjectId().toHexString(), conversationId: new ObjectId().toHexString(), senderId: sender, recipientIds, mentionedUserIds: [], at: Date.now() });
  await waitForDigest(h.db, offline, (d) => d.state === 'waiting', `${digestIdOf(offline)} armed`);
  t.same(asked, [[offline]], 'presence read for the offline recipient only');
  t.ok(sent.length > 0 && sent.every((id) => id === digestIdOf(offline)), 'saga sends for the offline recipient only');

  // Everyone needs nothing now: the next message costs neither.
  await waitFor(async () => quiet.isQuiet(offline), { timeoutMs: 10_000, message: 'the offline recipient remembered as armed' });
  const sends = sent.length;
  const marker = randomUUID();
  await publisher.port.published({ messageId: new ObjectId().toHexString(), conversationId: new ObjectId().toHexString(), senderId: sender, recipientIds, mentionedUserIds: [], at: Date.now() });
  await publisher.port.published({ messageId: new ObjectId().toHexString(), conversationId: new ObjectId().toHexString(), senderId: sender, recipientIds: [sender, marker], mentionedUserIds: [], at: Date.now() });
  await waitFor(async () => asked.some((ids) => ids.includes(marker)), { timeoutMs: 10_000, message: 'the marker event handled' });
  t.same(asked.slice(1), [[marker]], 'the second message needed no presence read');
  t.equal(sent.filter((id) => id === digestIdOf(offline)).length, sends, 'nor a saga send');
});

t.test('the publisher leaves out an event no recipient can need, and sends any other', async (t) => {
  const h = await startRegistrationHarness(t, { env: DIGEST_ENV });
  const queue = `${h.namespace}.digest-needless-test`;
  t.teardown(async () => {
    await h.amqp.queueDelete({ queue }).catch(() => undefined);
    await h.amqp.queueDelete({ queue: deadLetterQueueName(queue) }).catch(() => undefined);
  });
  const [sender, connected, armed, offline] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const quiet = createQuietDigests({ marginMs: 1_000, maxEntries: 1_000 });
  quiet.learn(armed, { value: 'waiting', context: { ...ctx({ digest: Date.now() + 600_000 }), userId: armed } });
  const publisher = createMessageEventsPublisher(h.amqp, { queue, logger: createSilentLogger(), needless: unreadNeedless(quiet, (id) => id === connected) });
  const event = (id: string, recipientIds: string[]) => ({ messageId: id, conversationId: new ObjectId().toHexString(), senderId: sender, recipientIds, mentionedUserIds: [], at: Date.now() });
  const [skipped, sent] = [new ObjectId().toHexString(), new ObjectId().toHexString()];
  await publisher.port.published(event(skipped, [sender, connected, armed]));
  await publisher.port.published(event(sent, [sender, connected, armed, offline]));
  // Waits for what is still on its way to the broker.
  await publisher.close();
  const ids: string[] = [];
  for (let msg = await h.amqp.basicGet({ queue, noAck: true }); msg; msg = await h.amqp.basicGet({ queue, noAck: true })) ids.push((msg.body as { messageId: string }).messageId);
  t.same(ids, [sent], 'only the event with an offline recipient whose digest may count');
});
