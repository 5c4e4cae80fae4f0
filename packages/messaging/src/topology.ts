import { DEAD_LETTER_EXCHANGE, deadLetterQueueName } from '@ashchat/contracts';
import type { MethodParams, Cmd } from 'rabbitmq-client';

export { DEAD_LETTER_EXCHANGE, DEAD_LETTER_REASON_HEADER } from '@ashchat/contracts';

/**
 * How often the broker delivers a message of a work queue before dead-lettering it. Bounds any
 * requeue loop (a handler returning 'requeue', a consumer crashing mid-message).
 */
export const DELIVERY_LIMIT = 5;

type QueueDeclare = MethodParams[Cmd.QueueDeclare];
type ExchangeDeclare = MethodParams[Cmd.ExchangeDeclare];
type QueueBind = MethodParams[Cmd.QueueBind];

/** `<queue>.dead-letter`; the single naming rule lives in contracts. */
export const deadLetterQueueFor = (queue: string): string => deadLetterQueueName(queue);

/**
 * Declaration of a durable work queue. Every declarer (publisher, consumer, any service) must use
 * this: RabbitMQ answers PRECONDITION_FAILED when two declarations of one queue differ.
 * Quorum queues count deliveries, so `x-delivery-limit` ends even a requeue loop in the
 * dead-letter queue instead of spinning forever.
 */
export function workQueue(name: string): { queue: string; durable: true; arguments: Record<string, unknown> } {
  return {
    queue: name,
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': DELIVERY_LIMIT,
      'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
      // Without it the broker keeps the original routing key (the work queue name) and the
      // message would match no binding of the dead-letter exchange.
      'x-dead-letter-routing-key': deadLetterQueueName(name),
    },
  };
}

export const deadLetterExchange = (): ExchangeDeclare => ({
  exchange: DEAD_LETTER_EXCHANGE,
  type: 'direct',
  durable: true,
});

/** A plain durable classic queue: it is only read by humans and tools, never redelivered. */
export const deadLetterQueue = (queue: string): QueueDeclare => ({
  queue: deadLetterQueueName(queue),
  durable: true,
});

export const deadLetterBinding = (queue: string): QueueBind => ({
  exchange: DEAD_LETTER_EXCHANGE,
  queue: deadLetterQueueName(queue),
  routingKey: deadLetterQueueName(queue),
});

/** Everything a publisher must (re)declare so that `queues` exist with their dead-letter path. */
export function publisherTopology(queues: readonly string[]): {
  queues: QueueDeclare[];
  exchanges: ExchangeDeclare[];
  queueBindings: QueueBind[];
} {
  if (queues.length === 0) return { queues: [], exchanges: [], queueBindings: [] };
  return {
    queues: queues.flatMap((q) => [workQueue(q), deadLetterQueue(q)]),
    exchanges: [deadLetterExchange()],
    queueBindings: queues.map(deadLetterBinding),
  };
}
