import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { namespacedQueue } from '@ashchat/contracts';
import type { TypedConsumer } from '@ashchat/messaging';
import type { ChatTranslationPort } from '../chat/translation.ports.js';
import { closeConsumerAtClose } from '../sagas/saga.host.js';
import { createTranslationReplyConsumer, type TranslationReplyStats } from './translation.replies.js';
import { createTranslationRequester } from './translation.requests.js';
import { TRANSLATION_BACKEND_QUEUES } from './translation.queues.js';

/** What the plugin decorates the instance with (`app.translation`). */
export interface TranslationModule {
  /** The message service's port: asks for a stored message's translations. */
  requests: ChatTranslationPort;
  /** Resolves once this instance consumes the translator's replies. */
  consuming: Promise<void>;
  /** Resolves once the requests asked for so far are published (or failed). */
  settled(): Promise<void>;
  /** Replies this instance handled, by outcome. */
  replyStats: Readonly<TranslationReplyStats>;
}

declare module 'fastify' {
  interface FastifyInstance {
    translation: TranslationModule;
  }
}

export interface TranslationTestOptions {
  /** false: this instance does not consume the replies (another must). Default true. */
  consumeReplies?: boolean;
}

/**
 * Machine translation of messages, off the delivery path: after a send or an edit, one request per
 * message text to the translator (services/translator) on TRANSLATION_QUEUE; its replies, consumed
 * by any instance from the durable TRANSLATION_REPLY_QUEUE, are stored on the message and sent to
 * the readers of each language as `message.translated`. Not registered when TRANSLATION_ENABLED is false.
 */
async function translationPlugin(app: FastifyInstance, opts: TranslationTestOptions): Promise<void> {
  const { QUEUE_NAMESPACE } = app.config;
  const queue = namespacedQueue(QUEUE_NAMESPACE, TRANSLATION_BACKEND_QUEUES.sends[0]);
  const replyQueue = namespacedQueue(QUEUE_NAMESPACE, TRANSLATION_BACKEND_QUEUES.replies[0]);
  const { messages, conversations } = app.chat.repositories;
  // Readers' languages and settings through the instance's profile cache (one read per message otherwise).
  const users = app.users.translationProfiles;
  const replyStats: TranslationReplyStats = { applied: 0, unchanged: 0 };
  const requester = createTranslationRequester(app.amqp, { queue, replyTo: replyQueue, messages, users, logger: app.log });
  const consumer: TypedConsumer | undefined =
    opts.consumeReplies === false
      ? undefined
      : createTranslationReplyConsumer(app.amqp, {
          queue: replyQueue,
          messages,
          conversations,
          users,
          // Straight to the users' channels: a translation changes no cached list or membership.
          events: {
            publish: (userIds, event) =>
              app.userEvents.publish(userIds, event).catch((err: unknown) => app.log.warn({ err, type: event.type }, 'translation event not published')),
          },
          logger: app.log,
          stats: replyStats,
        });
  // preClose: before the connection goes (as the digest's consumer and publisher).
  app.addHook('preClose', async () => {
    await closeConsumerAtClose(app, consumer);
    await requester.close();
  });
  app.decorate('translation', {
    requests: requester.port,
    consuming: consumer ? consumer.ready.then(() => undefined) : Promise.resolve(),
    settled: requester.settled,
    replyStats,
  });
}

export default fp(translationPlugin, {
  name: 'translation',
  fastify: '5.x',
  dependencies: ['mongo', 'amqp', 'user-events', 'users', 'chat'],
});
