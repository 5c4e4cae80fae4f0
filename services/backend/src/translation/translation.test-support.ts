/**
 * Test-only harness for the translation tests (excluded from the build): a listening backend on a
 * queue namespace of its own, the real translator (services/translator) in-process on the same
 * namespace with the machine's engine (TRANSLATION_URL: Apertium), stoppable to play "translator
 * down", and users with the languages a test names.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { deadLetterQueueName, namespacedQueue, QUEUE_NAMES, TRANSLATION_QUEUE, TRANSLATION_REPLY_QUEUE, type MessageView } from '@ashchat/contracts';
import { createAmqpConnection, createSilentLogger, workQueue } from '@ashchat/messaging';
import { getInfra, restartable, uniqueName, waitFor, type Infra } from '@ashchat/testkit';
import { createTranslator, loadTranslatorConfig } from '@ashchat/translator';
import { testConfig, type Teardown } from '../app.test-support.js';
import { createBackend } from '../backend.js';
import type { ChatTestUser } from '../chat/chat.test-support.js';
import { authedWs, type TestWsClient } from '../realtime/ws.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';

export interface TranslationHarness {
  app: FastifyInstance;
  namespace: string;
  amqp: ReturnType<typeof createAmqpConnection>;
  /** The namespaced queues. */
  queues: { requests: string; replies: string };
  startTranslator(): Promise<void>;
  stopTranslator(): Promise<void>;
  /** A signed-in user reading `preferredLanguage`. */
  user(nickname: string, preferredLanguage: string): Promise<ChatTestUser>;
  /** A WebSocket of `user` on the backend, authenticated. */
  ws(user: ChatTestUser): Promise<TestWsClient>;
  /** Messages waiting in a queue now. */
  waiting(queue: string): Promise<number>;
}

/** The real translator in-process on `namespace`, translating with the machine's engine (TRANSLATION_URL); restartable. */
export function testTranslator(infra: Pick<Infra, 'amqpUri' | 'redisUri' | 'translationUrl'>, namespace: string) {
  const config = loadTranslatorConfig({
    env: { AMQP_URI: infra.amqpUri, REDIS_URI: infra.redisUri, TRANSLATION_URL: infra.translationUrl, QUEUE_NAMESPACE: namespace, LOG_LEVEL: 'silent' },
    envFile: false,
  });
  return restartable(() => createTranslator(config, { connectionName: `${namespace}.translator` }));
}

export async function startTranslationHarness(t: Teardown, o: { translator?: boolean } = {}): Promise<TranslationHarness> {
  const infra = await getInfra();
  const namespace = uniqueName('test.translation');
  const closers: Array<() => Promise<unknown>> = [];
  t.teardown(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  });

  const amqp = createAmqpConnection({ uri: infra.amqpUri, name: `${namespace}.test`, logger: createSilentLogger() });
  await amqp.onConnect(10_000);
  closers.push(async () => {
    for (const queue of QUEUE_NAMES.map((name) => namespacedQueue(namespace, name))) {
      await amqp.queueDelete({ queue });
      await amqp.queueDelete({ queue: deadLetterQueueName(queue) });
    }
    await amqp.close();
  });

  const { start: startTranslator, stop: stopTranslator } = testTranslator(infra, namespace);
  closers.push(stopTranslator);

  const app = createBackend(await testConfig({ QUEUE_NAMESPACE: namespace }), { server: { logger: false } });
  closers.push(async () => {
    await app.mongo?.db.dropDatabase().catch(() => undefined);
    await app.close();
  });
  await app.ready();
  await app.listen({ host: '127.0.0.1', port: 0 });
  await app.translation.consuming;
  const url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/ws`;
  if (o.translator !== false) await startTranslator();

  return {
    app,
    namespace,
    amqp,
    queues: { requests: namespacedQueue(namespace, TRANSLATION_QUEUE), replies: namespacedQueue(namespace, TRANSLATION_REPLY_QUEUE) },
    startTranslator,
    stopTranslator,
    async user(nickname, preferredLanguage) {
      const user = await createTestUser(app, { nickname, preferredLanguage });
      const session = await loginAs(app, user);
      return {
        ...user,
        session,
        call: (method, path, payload) =>
          app.inject({ method, url: path, headers: session.headers, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) }),
      };
    },
    ws: (user) => authedWs(t, url, user.session.accessToken),
    async waiting(queue) {
      return (await amqp.queueDeclare({ ...workQueue(queue), passive: true })).messageCount;
    },
  };
}

/** The conversation's newest messages as `user` reads them. */
export async function historyOf(user: ChatTestUser, conversationId: string): Promise<MessageView[]> {
  const res = await user.call('GET', `/v1/conversations/${conversationId}/messages?limit=50`);
  if (res.statusCode !== 200) throw new Error(`history: ${res.statusCode} ${res.body}`);
  return res.json<{ items: MessageView[] }>().items;
}

/** The last message of a conversation as `user`'s conversation list previews it. */
export async function lastMessageIn(user: ChatTestUser, conversationId: string): Promise<MessageView> {
  const res = await user.call('GET', '/v1/conversations');
  if (res.statusCode !== 200) throw new Error(`conversation list: ${res.statusCode} ${res.body}`);
  const found = res.json<{ items: { id: string; lastMessage: MessageView | null }[] }>().items.find((c) => c.id === conversationId)?.lastMessage;
  if (!found) throw new Error(`conversation ${conversationId} has no last message in the list`);
  return found;
}

/** One message as `user` reads it in the history. */
export async function seenBy(user: ChatTestUser, conversationId: string, messageId: string): Promise<MessageView> {
  const found = (await historyOf(user, conversationId)).find((m) => m.id === messageId);
  if (!found) throw new Error(`message ${messageId} not in the history`);
  return found;
}

/** Waits (bounded) until `user`'s history shows the message's translation in a final state. */
export function waitForTranslation(user: ChatTestUser, conversationId: string, messageId: string, timeoutMs = 45_000): Promise<MessageView> {
  return waitFor(
    async () => {
      const m = await seenBy(user, conversationId, messageId);
      return m.translation && m.translation.status !== 'pending' ? m : undefined;
    },
    { timeoutMs, intervalMs: 100, message: `the translation of ${messageId} for ${user.nickname}` },
  );
}
