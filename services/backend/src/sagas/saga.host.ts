import type { FastifyInstance } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { Redis } from 'ioredis';
import type { AnyStateMachine } from 'xstate';
import { createTypedPublisher, type Logger, type TypedConsumer, type TypedPublisher } from '@ashchat/messaging';
import { createSagaRuntime, type SagaDefinition, type SagaDocument, type SagaEffectCompensation, type SagaEffectHandler, type SagaRuntime } from '@ashchat/saga';
import { closeRedis } from '@ashchat/service-kit';
import { createReplyConsumer, emptyReplyStats, type ReplyStats } from './saga-reply.consumer.js';
import { createSagaLifecycle } from './saga.lifecycle.js';
import { queueRoutes, routeToQueues, type QueueRoutes } from './saga.queues.js';

/** On close, how long to wait for a broker connection still being established. */
const CLOSE_CONNECT_WAIT_MS = 2_000;
const reachableAtClose = new WeakMap<FastifyInstance['amqp'], Promise<boolean>>();

/**
 * Whether the broker is connected when the instance closes: at once if it is, else after waiting up
 * to CLOSE_CONNECT_WAIT_MS for a connection on its way. Asked once per connection: every consumer's
 * close hook shares the one wait (an instance closing while the broker is away waits 2 s, not 2 s per
 * consumer).
 */
function brokerReachableAtClose(app: FastifyInstance): Promise<boolean> {
  if (app.amqp.ready) return Promise.resolve(true);
  let answer = reachableAtClose.get(app.amqp);
  if (!answer) {
    answer = app.amqp.onConnect(CLOSE_CONNECT_WAIT_MS, true).then(
      () => true,
      () => false,
    );
    reachableAtClose.set(app.amqp, answer);
  }
  return answer;
}

/**
 * Closes a consumer in a close hook. A consumer still declaring its queues finishes that first (a
 * shutdown right after start-up is clean); but while the broker is unreachable its close would wait
 * for declarations that only the connection's close (the amqp plugin's hook, later) ends: then it is
 * left to that.
 */
export async function closeConsumerAtClose(app: FastifyInstance, consumer: TypedConsumer | undefined): Promise<void> {
  if (!consumer) return;
  const connected = await brokerReachableAtClose(app);
  const closed = consumer.close();
  if (connected) await closed;
  else void closed.catch(() => undefined);
}

/** Switches for tests; production uses the defaults. */
export interface SagaHostTestOptions {
  /** false: this instance does not consume the reply queue (another instance must). Default true. */
  consumeReplies?: boolean;
  /** false: no expiry subscriber, sweep or relay (drive `runtime.sweepOnce()` by hand). Default true. */
  background?: boolean;
  /** Wraps the real publisher, e.g. to fail every publish as if the process died before it. */
  publisher?: (real: TypedPublisher) => TypedPublisher;
}

export interface SagaHostOptions<M extends AnyStateMachine, TStatus, TIndex> extends SagaHostTestOptions {
  definition: SagaDefinition<M, TStatus, TIndex>;
  /** MongoDB collection of the saga documents. */
  collection: string;
  /** Contract names of every queue the saga sends to. */
  sends: readonly string[];
  /** Contract name of the saga's reply queue and what may arrive there; none for a saga that only sends one-way. */
  replies?: { queue: string; schema: TSchema };
  effects?: Record<string, SagaEffectHandler>;
  /** Undoes runs of inline effects whose transitions were never stored (SagaRuntimeOptions.compensations). */
  compensations?: Record<string, SagaEffectCompensation>;
  /** Indexes the effects need before the first one runs (e.g. the users' unique e-mail). */
  prepare?: () => Promise<void>;
  logger?: Logger;
}

/** A saga running on this instance (the plugin decorates the app with it, next to its service). */
export interface SagaHost<M extends AnyStateMachine, TStatus, TIndex> {
  runtime: SagaRuntime<M, TStatus, TIndex>;
  /** Physical queue names by contract name. */
  queues: QueueRoutes;
  /** Replies this instance consumed, by outcome. */
  replyStats: ReplyStats;
  /** Resolves once indexes exist and the background loops run (false if closed first). */
  started: Promise<boolean>;
  /** Resolves once this instance consumes the reply queue (at once when it does not consume). */
  consuming: Promise<void>;
}

/**
 * One saga wired to this instance's connections: the durable runtime on MongoDB, outbox messages
 * through a confirming publisher (contract names mapped under QUEUE_NAMESPACE), replies from the
 * saga's durable reply queue shared by every instance (any instance applies any reply), timer
 * expiries on a dedicated Redis subscriber connection, and start-up that waits for MongoDB without
 * holding up the boot. Hooks: onReady starts it; onClose stops taking replies, lets the runtime
 * finish, then drops its own connections (before the mongo/redis/amqp plugins close theirs).
 */
export function hostSaga<M extends AnyStateMachine, TStatus, TIndex>(
  app: FastifyInstance,
  o: SagaHostOptions<M, TStatus, TIndex>,
): SagaHost<M, TStatus, TIndex> {
  const { config } = app;
  const logger = o.logger ?? app.log;
  const name = o.definition.name;
  const queues = queueRoutes(config.QUEUE_NAMESPACE, [...o.sends, ...(o.replies ? [o.replies.queue] : [])]);

  const realPublisher = createTypedPublisher(app.amqp, { logger, queues: Object.values(queues) });
  const publisher = o.publisher ? o.publisher(realPublisher) : realPublisher;
  // A subscribed connection cannot run commands: expiry events get their own. Subscribing waits
  // for Redis instead of failing, so an unreachable Redis delays the listener rather than the boot.
  const subscriber = new Redis(config.REDIS_URI, { maxRetriesPerRequest: null, connectTimeout: 5_000, connectionName: `ashchat-backend-saga-${name}` });
  let lastSubscriberError: string | undefined;
  subscriber.on('error', (err: Error) => {
    if (err.message !== lastSubscriberError) app.log.warn({ err, saga: name }, 'Redis subscriber connection error');
    lastSubscriberError = err.message;
  });
  subscriber.on('ready', () => {
    lastSubscriberError = undefined;
  });

  const runtime = createSagaRuntime({
    definition: o.definition,
    collection: app.mongo.db.collection<SagaDocument>(o.collection),
    publisher: routeToQueues(publisher, queues),
    // One-way sagas never ask for a reply (their messages carry no replyTo).
    replyQueue: o.replies ? queues[o.replies.queue]! : '',
    redis: app.redis,
    subscriber,
    logger,
    effects: o.effects ?? {},
    compensations: o.compensations ?? {},
    sweepIntervalMs: config.SAGA_SWEEP_INTERVAL_MS,
    relayIntervalMs: config.SAGA_RELAY_INTERVAL_MS,
    writeLock: app.mongo.capabilities.writeLock,
  });

  const replyStats = emptyReplyStats();
  const consumer: TypedConsumer | undefined =
    o.replies && o.consumeReplies !== false
      ? createReplyConsumer(app.amqp, { queue: queues[o.replies.queue]!, schema: o.replies.schema, runtime, logger, stats: replyStats })
      : undefined;
  const lifecycle = createSagaLifecycle({ name, runtime, prepare: o.prepare ?? (async () => undefined), logger, background: o.background !== false });

  app.addHook('onReady', async () => lifecycle.start());
  app.addHook('onClose', async () => {
    await closeConsumerAtClose(app, consumer);
    await lifecycle.close();
    await realPublisher.close();
    await closeRedis(subscriber);
  });

  return { runtime, queues, replyStats, started: lifecycle.started, consuming: consumer?.ready ?? Promise.resolve() };
}
