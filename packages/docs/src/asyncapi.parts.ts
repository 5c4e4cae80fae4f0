/** Channels and messages of the AsyncAPI document (see asyncapi.document.ts for the conventions). */
import {
  DEAD_LETTER_REASON_HEADER,
  REQUEST_REPLY_CONVENTION,
  deadLetterQueueName,
  type CatalogueQueue,
  type NamedSchema,
} from '@ashchat/contracts';
import {
  ORIGINAL_EXCHANGE_HEADER,
  ORIGINAL_QUEUE_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
  deadLetterBinding,
  deadLetterExchange,
  deadLetterQueue,
  workQueue,
} from '@ashchat/messaging';

export type Json = Record<string, unknown>;

export const AMQP_BINDING_VERSION = '0.3.0';

const pointer = (...path: string[]): string => `#/${path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
export const ref = (...path: string[]): Json => ({ $ref: pointer(...path) });
/** `AccountCreationRequest` → `Account Creation Request`. */
export const title = (id: string): string => id.replace(/([a-z])([A-Z])/g, '$1 $2');
const list = (apps: readonly string[]): string => (apps.length === 0 ? 'no service' : apps.join(', '));

/** Headers a consumer adds to a dead letter, the reason first. */
export const DEAD_LETTER_HEADERS = [DEAD_LETTER_REASON_HEADER, ORIGINAL_QUEUE_HEADER, ORIGINAL_EXCHANGE_HEADER, ORIGINAL_ROUTING_KEY_HEADER] as const;

export const deadLetterMessageId = (q: CatalogueQueue): string => `${q.consumedAs.$id}DeadLetter`;

/**
 * The schema as plain JSON Schema. A JSON round trip drops TypeBox's symbol keys ([Kind],
 * [OptionalKind]); `$id` becomes the title, so the payload does not claim a base URI of its own.
 */
export function payloadSchema(schema: NamedSchema): Json {
  const { $id, ...rest } = JSON.parse(JSON.stringify(schema)) as Json;
  return { title: $id, ...rest };
}

interface QueueBinding {
  name: string;
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
}

function amqpQueue(declared: { queue?: string; durable?: boolean; exclusive?: boolean; autoDelete?: boolean }): QueueBinding {
  return {
    name: declared.queue ?? '',
    durable: declared.durable ?? false,
    exclusive: declared.exclusive ?? false,
    autoDelete: declared.autoDelete ?? false,
  };
}

export function workChannel(q: CatalogueQueue): Json {
  const declared = workQueue(q.name);
  const dlq = deadLetterQueueName(q.name);
  return {
    address: q.name,
    description: `${q.description}\n\nSent by: ${list(q.senders)}. Received by: ${list(q.receivers)}. Dead letters: \`${dlq}\`.`,
    messages: Object.fromEntries(q.messages.map((m) => [m.schema.$id, ref('components', 'messages', m.schema.$id)])),
    bindings: {
      amqp: {
        is: 'queue',
        queue: amqpQueue(declared),
        // The queue.declare arguments, as @ashchat/messaging declares them.
        'x-arguments': declared.arguments,
        bindingVersion: AMQP_BINDING_VERSION,
      },
    },
    'x-ashchat-senders': [...q.senders],
    'x-ashchat-receivers': [...q.receivers],
    'x-ashchat-dead-letter-queue': dlq,
  };
}

export function deadLetterChannel(q: CatalogueQueue): Json {
  const declared = deadLetterQueue(q.name);
  const binding = deadLetterBinding(q.name);
  const exchange = deadLetterExchange();
  return {
    address: declared.queue,
    title: `Dead letters of ${q.name}`,
    description: `Messages of \`${q.name}\` that were not processed: copied here by ${list(q.receivers)} with the reason, or dead-lettered by RabbitMQ itself. No service consumes it.`,
    messages: { [deadLetterMessageId(q)]: ref('components', 'messages', deadLetterMessageId(q)) },
    bindings: {
      amqp: {
        is: 'queue',
        queue: amqpQueue(declared),
        'x-bound-to': { exchange: binding.exchange, type: exchange.type, routingKey: binding.routingKey },
        bindingVersion: AMQP_BINDING_VERSION,
      },
    },
    'x-ashchat-senders': [...q.receivers],
    'x-ashchat-receivers': [],
    'x-ashchat-dead-letter-of': q.name,
  };
}

const DEAD_LETTER_HEADER_TEXT: Record<(typeof DEAD_LETTER_HEADERS)[number], string> = {
  [DEAD_LETTER_REASON_HEADER]: 'Why the consumer gave up on the message: parse or schema failure, handler error, request without replyTo/correlationId, missing reply queue. Absent when RabbitMQ dead-lettered it.',
  [ORIGINAL_QUEUE_HEADER]: 'The (namespaced) queue the message was taken from.',
  [ORIGINAL_EXCHANGE_HEADER]: 'The exchange it was published to (empty: the default exchange).',
  [ORIGINAL_ROUTING_KEY_HEADER]: 'The routing key it was published with.',
};

function deadLetterMessage(q: CatalogueQueue, correlated: boolean): Json {
  return {
    name: deadLetterMessageId(q),
    title: `${title(q.consumedAs.$id)} (dead letter)`,
    summary: `A message of \`${q.name}\` that was not processed.`,
    description:
      'Body and properties (contentType, correlationId, replyTo, messageId, …) of the original message, byte for byte; the headers of the original are kept and the ones below added.',
    headers: {
      type: 'object',
      properties: {
        ...Object.fromEntries(DEAD_LETTER_HEADERS.map((h) => [h, { type: 'string', description: DEAD_LETTER_HEADER_TEXT[h] }])),
        'x-death': {
          type: 'array',
          description: 'Set by RabbitMQ (with x-first-death-* / x-last-death-*) when the broker dead-lettered the message: delivery limit reached or rejected without requeue.',
        },
      },
    },
    payload: {
      description: 'The original body. Usually one of the messages of the queue; not when the reason is invalid JSON or a schema violation.',
      anyOf: [
        ...q.messages.map((m) => ref('components', 'messages', m.schema.$id, 'payload')),
        { description: 'Any other body.' },
      ],
    },
    ...(correlated ? { correlationId: ref('components', 'correlationIds', 'sagaRequest') } : {}),
  };
}

/** components.messages: every catalogue message, then each queue's dead letter. */
export function messageComponents(catalogue: readonly CatalogueQueue[], replies: ReadonlyMap<string, string>): Json {
  const out: Json = {};
  for (const q of catalogue) {
    for (const m of q.messages) {
      const answers = replies.get(m.schema.$id);
      const props = m.reply
        ? `AMQP properties: replyTo = the requester's reply queue, correlationId = \`${REQUEST_REPLY_CONVENTION.correlationId}\`, messageId = correlationId.`
        : answers
          ? `Reply to ${answers}. AMQP properties: correlationId = the request's, unchanged; messageId random.`
          : 'One way: no replyTo, and no reply is sent. AMQP properties: messageId identifies the message (a repeat keeps it).';
      out[m.schema.$id] = {
        name: m.schema.$id,
        title: title(m.schema.$id),
        summary: m.summary,
        description: `${props} Persistent, JSON.`,
        contentType: 'application/json',
        ...(m.reply || answers ? { correlationId: ref('components', 'correlationIds', 'sagaRequest') } : {}),
        payload: payloadSchema(m.schema),
        ...(m.reply ? { 'x-ashchat-reply': m.reply.schema.$id } : {}),
        ...(answers ? { 'x-ashchat-reply-to': answers } : {}),
      };
    }
  }
  for (const q of catalogue) {
    const correlated = q.messages.some((m) => m.reply !== undefined || replies.has(m.schema.$id));
    out[deadLetterMessageId(q)] = deadLetterMessage(q, correlated);
  }
  return out;
}
