import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { CHAT_MESSAGE_CREATED_QUEUE, DIGEST_MAIL_QUEUE, DIGEST_REPLY_QUEUE, DigestMailReply, namespacedQueue } from '@ashchat/contracts';
import type { SagaRuntime } from '@ashchat/saga';
import type { TypedConsumer } from '@ashchat/messaging';
import { closeConsumerAtClose, hostSaga, type SagaHostTestOptions } from '../sagas/saga.host.js';
import type { ReplyStats } from '../sagas/saga-reply.consumer.js';
import { createDigestComposer, digestEffects, type MuteReader } from './digest.compose.js';
import { createDigestEventConsumer, createMessageEventsPublisher, QUIET_DIGESTS_DEFAULTS, unreadNeedless, type MessageEventsPort } from './digest.events.js';
import { createQuietDigests } from './digest.quiet.js';
import { digestIdOf, type DigestMachine } from './digest.machine.js';
import { digestSaga, type DigestIndex, type DigestStatusView } from './digest.saga.js';

/** Collection of digest saga documents (one per user who ever had a message while offline). */
export const DIGESTS_COLLECTION = 'digests';

export type DigestRuntime = SagaRuntime<DigestMachine, DigestStatusView, DigestIndex>;

/** What the plugin decorates the instance with (`app.digest`). */
export interface DigestModule {
  runtime: DigestRuntime;
  /** The message service's port: publishes `chat.message.created` (ids only). */
  events: MessageEventsPort;
  /** Resolves once indexes exist and the background loops (timers, sweep, relay) run. */
  started: Promise<boolean>;
  /** Resolves once this instance consumes the message events and the digest replies. */
  consuming: Promise<void>;
  /** Digest replies this instance consumed, by outcome. */
  replyStats: ReplyStats;
  /** Removes a deleted account's digest saga (the account-deletion saga's profile step); repeatable. */
  forget(userId: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    digest: DigestModule;
  }
}

export interface DigestTestOptions extends SagaHostTestOptions {
  /** false: this instance does not consume the message events (another must). Default true. */
  consumeEvents?: boolean;
  /** Mutes to use instead of the relations module's. */
  mutes?: MuteReader;
}

/**
 * Missed-message mail: the message events on RabbitMQ (published by the message service, consumed
 * by any instance), one digest saga per user (timers in Redis, state in MongoDB), and its one
 * effect that composes the mail from fresh reads. The verifier renders and sends it.
 */
async function digestPlugin(app: FastifyInstance, opts: DigestTestOptions): Promise<void> {
  const { config } = app;
  const composer = createDigestComposer({
    users: app.users.repository,
    conversations: app.chat.repositories.conversations,
    messages: app.chat.repositories.messages,
    presence: app.presence,
    mutes: () => opts.mutes ?? app.relations.mutes,
  });
  const host = hostSaga(app, {
    definition: digestSaga,
    collection: DIGESTS_COLLECTION,
    sends: [DIGEST_MAIL_QUEUE],
    replies: { queue: DIGEST_REPLY_QUEUE, schema: DigestMailReply },
    effects: digestEffects(composer),
    ...(opts.consumeReplies !== undefined ? { consumeReplies: opts.consumeReplies } : {}),
    ...(opts.background !== undefined ? { background: opts.background } : {}),
    ...(opts.publisher ? { publisher: opts.publisher } : {}),
  });
  const queue = namespacedQueue(config.QUEUE_NAMESPACE, CHAT_MESSAGE_CREATED_QUEUE);
  // One memory for both: what this instance's consumer learns spares its publisher the events nobody needs.
  const quiet = createQuietDigests(QUIET_DIGESTS_DEFAULTS);
  const connectedHere = app.hasDecorator('wsGateway') ? (userId: string) => app.wsGateway.hasUser(userId) : undefined;
  const publisher = createMessageEventsPublisher(app.amqp, { queue, logger: app.log, needless: unreadNeedless(quiet, connectedHere) });
  const consumer: TypedConsumer | undefined =
    opts.consumeEvents === false
      ? undefined
      : createDigestEventConsumer(app.amqp, {
          queue,
          runtime: host.runtime,
          presence: app.presence,
          quiet,
          ...(connectedHere ? { connectedHere } : {}),
          delayMs: config.DIGEST_DELAY_MS,
          periodMs: config.DIGEST_PERIOD_MS,
          logger: app.log,
        });
  // preClose: before the saga host's onClose stops the runtime these feed. A consumer still
  // declaring its queue while the broker is away would wait for the connection's own close (the
  // amqp plugin's, later): then it is left to that (as the saga host does with its reply consumer).
  app.addHook('preClose', async () => {
    await closeConsumerAtClose(app, consumer);
    await publisher.close();
  });
  app.decorate('digest', {
    runtime: host.runtime,
    events: publisher.port,
    started: host.started,
    replyStats: host.replyStats,
    consuming: Promise.all([host.consuming, consumer?.ready]).then(() => undefined),
    async forget(userId: string) {
      // A timer still due finds no saga and does nothing; a later message event cannot start one,
      // since the account is no longer a member of any conversation by then.
      await app.mongo.db.collection<{ _id: string }>(DIGESTS_COLLECTION).deleteOne({ _id: digestIdOf(userId) });
    },
  });
}

export default fp(digestPlugin, {
  name: 'digest',
  fastify: '5.x',
  dependencies: ['mongo', 'redis', 'amqp', 'presence', 'users', 'chat', 'relations'],
});
