import type { Static, TSchema } from '@sinclair/typebox';
import { ConsumerStatus, type AsyncMessage, type Connection, type ConsumerProps } from 'rabbitmq-client';
import { closeWithin, DEFAULT_CLOSE_TIMEOUT_MS } from './close.bound.js';
import { createDeadLetterer, decodeJson } from './dead-letter.js';
import { describeError, type Logger } from './logger.js';
import { deadLetterExchange, workQueue } from './topology.js';
import { validationReason } from './validation.js';

export type HandlerResult = 'ack' | 'requeue' | 'drop';

export interface TypedConsumer {
  /** Resolves when the consumer is subscribed for the first time (queue declared, consuming). */
  readonly ready: Promise<void>;
  /**
   * Stops consuming, waits for running handlers, then closes the channels; bounded by
   * `closeTimeoutMs` (see DEFAULT_CLOSE_TIMEOUT_MS). Idempotent.
   */
  close(): Promise<void>;
}

export const DEFAULT_PREFETCH = 10;

export interface ConsumeValidatedOptions<S extends TSchema> {
  queue: string;
  schema: S;
  logger: Logger;
  prefetch?: number;
  concurrency?: number;
  /** Bound of close(); DEFAULT_CLOSE_TIMEOUT_MS when omitted. */
  closeTimeoutMs?: number;
  /**
   * Called for messages that passed JSON parsing and validation. May dead-letter through `ctx`.
   * A throw dead-letters the message with the error message as reason.
   */
  onValid(body: Static<S>, msg: AsyncMessage, ctx: { deadLetter(reason: string): Promise<ConsumerStatus> }): Promise<ConsumerStatus>;
}

export const errorReason = (err: unknown): string =>
  `handler failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;

/**
 * The validating core shared by typed consumers and responders: declares the work queue (quorum,
 * delivery limit, dead-letter exchange), never lets rabbitmq-client requeue on a throw, and turns
 * every message it cannot process into a dead letter with a reason instead of a crash or a loop.
 */
export function consumeValidated<S extends TSchema>(conn: Connection, o: ConsumeValidatedOptions<S>): TypedConsumer {
  const { queue, schema, logger } = o;
  const prefetch = o.prefetch ?? DEFAULT_PREFETCH;
  const deadLetters = createDeadLetterer(conn, { queue, logger });

  const deadLetter = async (msg: AsyncMessage, reason: string): Promise<ConsumerStatus> =>
    // If even the copy fails, a reject without requeue lets the broker's own DLX take it.
    (await deadLetters.deadLetter(msg, reason)) ? ConsumerStatus.ACK : ConsumerStatus.DROP;

  const props: ConsumerProps = {
    queue,
    queueOptions: workQueue(queue),
    exchanges: [deadLetterExchange()],
    qos: { prefetchCount: prefetch },
    concurrency: o.concurrency ?? prefetch,
    // rabbitmq-client's default (requeue on throw) is a hot redelivery loop.
    requeue: false,
  };

  const consumer = conn.createConsumer(props, async (msg) => {
    try {
      const decoded = decodeJson(msg);
      if (!decoded.ok) return await deadLetter(msg, decoded.reason);
      const invalid = validationReason(schema, decoded.value);
      if (invalid !== undefined) return await deadLetter(msg, invalid);
      return await o.onValid(decoded.value as Static<S>, msg, { deadLetter: (reason) => deadLetter(msg, reason) });
    } catch (err) {
      logger.error({ queue, messageId: msg.messageId, correlationId: msg.correlationId, err: describeError(err) }, 'message handler failed');
      return deadLetter(msg, errorReason(err));
    }
  });
  consumer.on('error', (err) => logger.error({ queue, err: describeError(err) }, 'consumer error'));
  const subscribed = new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
  consumer.on('ready', () => logger.info({ queue }, 'consumer ready'));
  const ready = Promise.all([subscribed, deadLetters.declared]).then(() => undefined);

  let closing: Promise<void> | undefined;
  return {
    ready,
    close() {
      closing ??= closeWithin(
        (async () => {
          // Handlers may still be dead-lettering: close the dead-letter publisher after them.
          await consumer.close().catch((err: unknown) => logger.warn({ queue, err: describeError(err) }, 'closing the consumer failed'));
          await deadLetters.close();
        })(),
        o.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS,
        logger,
        { queue },
      ).then(() => undefined);
      return closing;
    },
  };
}

const STATUS: Record<HandlerResult, ConsumerStatus> = {
  ack: ConsumerStatus.ACK,
  requeue: ConsumerStatus.REQUEUE,
  drop: ConsumerStatus.DROP,
};

export interface TypedConsumerOptions<S extends TSchema> {
  queue: string;
  schema: S;
  logger: Logger;
  prefetch?: number;
  concurrency?: number;
  /** Bound of close(); DEFAULT_CLOSE_TIMEOUT_MS when omitted. */
  closeTimeoutMs?: number;
  /**
   * 'requeue' returns the message to the queue (bounded by the quorum delivery limit, after which
   * the broker dead-letters it); 'drop' rejects it to the broker's dead-letter path without a reason.
   */
  handler: (body: Static<S>, msg: AsyncMessage) => Promise<HandlerResult | void>;
}

/**
 * Validates every message; invalid JSON/schema → copied to `<queue>.dead-letter` with the reason in
 * header DEAD_LETTER_REASON_HEADER, then acked. A throwing handler → dead-lettered with the error
 * message as reason. Ack only after the handler resolves.
 */
export function createTypedConsumer<S extends TSchema>(conn: Connection, o: TypedConsumerOptions<S>): TypedConsumer {
  return consumeValidated(conn, {
    ...o,
    async onValid(body, msg) {
      return STATUS[(await o.handler(body, msg)) ?? 'ack'];
    },
  });
}
