import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Type } from '@sinclair/typebox';
import { createRequestClient, createResponder, deadLetterQueueFor, type Logger } from '@ashchat/messaging';
import type { AmqpConnection } from '@ashchat/backend';
import { runLoad, type LoadOptions, type LoadResult } from './load.runner.js';

const Echo = Type.Object({ id: Type.String(), at: Type.Number() }, { additionalProperties: false });

/**
 * Baseline (b): request/reply round trips per second over the same RabbitMQ, with the same
 * building blocks the services use (validated quorum work queue + confirmed reply, private
 * reply queue), and a handler that does nothing. The upper bound of any two-service flow here.
 */
export async function measureEchoRate(
  amqp: AmqpConnection,
  o: { queue: string; logger: Logger; load: LoadOptions },
): Promise<LoadResult> {
  const responder = createResponder(amqp, {
    queue: o.queue,
    requestSchema: Echo,
    replySchema: Echo,
    logger: o.logger,
    handler: async (body) => body,
  });
  const client = createRequestClient(amqp, { logger: o.logger, timeoutMs: 30_000 });
  try {
    await responder.ready;
    return await runLoad(async () => {
      const t0 = performance.now();
      await client.request(o.queue, Echo, { id: randomUUID(), at: Date.now() }, Echo);
      return { roundTrip: performance.now() - t0 };
    }, o.load);
  } finally {
    await client.close();
    await responder.close();
    await amqp.queueDelete({ queue: o.queue }).catch(() => undefined);
    await amqp.queueDelete({ queue: deadLetterQueueFor(o.queue) }).catch(() => undefined);
  }
}
