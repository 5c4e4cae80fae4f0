import type { Static, TSchema } from '@sinclair/typebox';
import { ConsumerStatus, type AsyncMessage, type Connection } from 'rabbitmq-client';
import { consumeValidated, type TypedConsumer } from './consumer.js';
import { describeError, type Logger } from './logger.js';
import { createTypedPublisher, UnroutableError } from './publisher.js';
import { validationReason } from './validation.js';

export interface ResponderOptions<Q extends TSchema, R extends TSchema> {
  queue: string;
  requestSchema: Q;
  replySchema: R;
  logger: Logger;
  prefetch?: number;
  concurrency?: number;
  handler: (body: Static<Q>, msg: AsyncMessage) => Promise<Static<R>>;
}

/**
 * Request side of request/reply for workers: the handler's result is published (with confirms) to
 * msg.replyTo with msg.correlationId, THEN the request is acked. A request without
 * replyTo/correlationId, or whose reply queue does not exist, is dead-lettered. Handlers must be idempotent: a request whose reply could
 * not be confirmed is requeued and handled again (bounded by the delivery limit).
 */
export function createResponder<Q extends TSchema, R extends TSchema>(conn: Connection, o: ResponderOptions<Q, R>): TypedConsumer {
  const { queue, logger } = o;
  // Not rabbitmq-client's reply(): that publishes on the consumer channel, which has no confirms.
  const replies = createTypedPublisher(conn, { logger });

  const consumer = consumeValidated(conn, {
    queue,
    schema: o.requestSchema,
    logger,
    ...(o.prefetch !== undefined ? { prefetch: o.prefetch } : {}),
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    async onValid(body, msg, ctx) {
      const { replyTo, correlationId } = msg;
      if (!replyTo || !correlationId) {
        const missing = [!replyTo && 'replyTo', !correlationId && 'correlationId'].filter(Boolean).join(' and ');
        return ctx.deadLetter(`request without ${missing}`);
      }
      const reply = await o.handler(body, msg);
      const invalid = validationReason(o.replySchema, reply);
      if (invalid !== undefined) {
        logger.error({ queue, correlationId, reason: invalid }, 'handler produced a reply that breaks its contract');
        return ctx.deadLetter(`handler produced an invalid reply: ${invalid}`);
      }
      try {
        await replies.send(replyTo, o.replySchema, reply, { correlationId });
      } catch (err) {
        if (err instanceof UnroutableError) {
          // The reply queue is gone (its requester shut down) or was never declared. Retrying would
          // not help; the dead letter keeps the request and says why its reply was not delivered.
          logger.warn({ queue, replyTo, correlationId }, 'reply queue does not exist; dead-lettering the request');
          return ctx.deadLetter(`reply queue "${replyTo}" does not exist; the reply was not delivered`);
        }
        // Reply not confirmed: keep the request so it is answered again later.
        logger.error({ queue, replyTo, correlationId, err: describeError(err) }, 'publishing the reply failed; requeueing the request');
        return ConsumerStatus.REQUEUE;
      }
      return ConsumerStatus.ACK;
    },
  });

  let closing: Promise<void> | undefined;
  return {
    ready: consumer.ready,
    close() {
      closing ??= (async () => {
        await consumer.close();
        await replies.close();
      })();
      return closing;
    },
  };
}
