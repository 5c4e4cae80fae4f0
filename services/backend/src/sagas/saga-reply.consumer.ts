import type { TSchema } from '@sinclair/typebox';
import { createTypedConsumer, describeError, type Logger, type TypedConsumer } from '@ashchat/messaging';
import { SagaConflictError, type ReplyOutcome, type SagaRuntime } from '@ashchat/saga';

type AmqpConnection = Parameters<typeof createTypedConsumer>[0];

/** Counters of what this instance did with replies (tests and metrics read them). */
export interface ReplyStats {
  received: number;
  outcomes: Record<ReplyOutcome, number>;
  requeued: number;
}

export const emptyReplyStats = (): ReplyStats => ({
  received: 0,
  outcomes: { applied: 0, ignored: 0, 'unknown-saga': 0, malformed: 0 },
  requeued: 0,
});

// Connection-level failures of MongoDB and Redis: the reply is fine, the store is not reachable now.
const TRANSIENT_MONGO = /^Mongo(Network|NetworkTimeout|ServerSelection|TopologyClosed|NotConnected|PoolCleared)Error$/;
const TRANSIENT_MESSAGE = /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/;

export function isStoreUnavailable(err: unknown): boolean {
  if (err instanceof SagaConflictError) return true;
  if (!(err instanceof Error)) return false;
  return TRANSIENT_MONGO.test(err.name) || err.name === 'MaxRetriesPerRequestError' || TRANSIENT_MESSAGE.test(err.message);
}

export interface ReplyConsumerOptions {
  queue: string;
  /** What may arrive on the queue (the catalogue's `consumedAs`); anything else is dead-lettered. */
  schema: TSchema;
  runtime: Pick<SagaRuntime<never, unknown, unknown>, 'handleReply'>;
  logger: Logger;
  stats: ReplyStats;
  /** Pause before handing a reply back while the store is unavailable (the delivery limit bounds the retries). */
  requeueDelayMs?: number;
}

/**
 * Consumes the durable reply queue shared by every backend instance: the saga state lives in
 * MongoDB, so any instance can apply any reply. Invalid bodies are dead-lettered by the typed
 * consumer; replies for unknown sagas and stale or duplicate ones are acknowledged and forgotten;
 * a reply without a usable correlation id is dead-lettered with the reason; only an unavailable
 * store hands the reply back to the broker.
 */
export function createReplyConsumer(conn: AmqpConnection, o: ReplyConsumerOptions): TypedConsumer {
  const requeueDelayMs = o.requeueDelayMs ?? 1_000;
  return createTypedConsumer(conn, {
    queue: o.queue,
    schema: o.schema,
    logger: o.logger,
    handler: async (body, msg) => {
      o.stats.received += 1;
      let outcome: ReplyOutcome;
      try {
        outcome = await o.runtime.handleReply(msg.correlationId, body);
      } catch (err) {
        if (!isStoreUnavailable(err)) throw err;
        o.stats.requeued += 1;
        o.logger.warn({ correlationId: msg.correlationId, err: describeError(err) }, 'saga store unavailable; reply handed back to the broker');
        await new Promise((resolve) => setTimeout(resolve, requeueDelayMs));
        return 'requeue';
      }
      o.stats.outcomes[outcome] += 1;
      // Thrown so the consumer dead-letters it with this reason: nobody could ever apply it.
      if (outcome === 'malformed') throw new Error('reply has no correlation id of a request of this saga, or its requestId does not match it');
      return 'ack';
    },
  });
}
