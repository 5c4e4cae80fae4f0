/**
 * The AsyncAPI 3.0 document of AshChat's messaging, rendered from the contracts' messaging catalogue
 * and the topology helpers of @ashchat/messaging (so queue arguments are the ones the services declare).
 *
 * Conventions of the document:
 *  - one channel per contract queue and one per `<queue>.dead-letter` queue, plus `replyTo`, the
 *    address-less channel a responder answers on (whatever the request's replyTo names);
 *  - operation ids are `<application>.<verb><Message>`: `backend.sendAccountCreationRequest`,
 *    `verifier.receiveAccountCreationRequest`, `verifier.deadLetterAccountCreationRequest`; each is
 *    tagged with its application and carries `x-ashchat-application`;
 *  - a reply is not an operation of its own: it is the `reply` of the operation that sends the
 *    request (requester side, fixed reply channel) and of the one that receives it (responder side,
 *    address taken from the request's replyTo).
 */
import { stringify } from 'yaml';
import {
  DEAD_LETTER_REASON_HEADER,
  MESSAGING_APPLICATIONS,
  MESSAGING_CATALOGUE,
  REQUEST_REPLY_CONVENTION,
  deadLetterQueueName,
  type CatalogueQueue,
  type MessagingApplication,
} from '@ashchat/contracts';
import { DELIVERY_LIMIT, DEAD_LETTER_EXCHANGE } from '@ashchat/messaging';
import {
  AMQP_BINDING_VERSION,
  DEAD_LETTER_HEADERS,
  deadLetterChannel,
  deadLetterMessageId,
  messageComponents,
  ref,
  title,
  workChannel,
  type Json,
} from './asyncapi.parts.js';

export const ASYNCAPI_TITLE = 'AshChat messaging';
/** Version of the messaging contract described; bump it when a queue or message changes incompatibly. */
export const ASYNCAPI_DOCUMENT_VERSION = '1.0.0';
/** Channel id of the address-less channel replies go to (the request's replyTo). */
export const REPLY_TO_CHANNEL = 'replyTo';
const REPLY_TO_LOCATION = '$message.header#/replyTo';

/** Every reply schema id, with the request(s) it answers (`A or B` when several share a reply). */
function repliesOf(catalogue: readonly CatalogueQueue[]): Map<string, string> {
  const replies = new Map<string, string>();
  for (const q of catalogue) {
    for (const m of q.messages) {
      if (!m.reply) continue;
      const known = replies.get(m.reply.schema.$id);
      replies.set(m.reply.schema.$id, known ? `${known} or ${m.schema.$id}` : m.schema.$id);
    }
  }
  return replies;
}

function describeInfo(): string {
  const apps = Object.entries(MESSAGING_APPLICATIONS).map(([name, text]) => `- **${name}**: ${text}`);
  return [
    'Generated from `packages/contracts` (messaging catalogue, message schemas) and `@ashchat/messaging` (queue declarations) by `packages/docs/src/asyncapi.document.ts`. Do not edit by hand.',
    '',
    '## Applications',
    ...apps,
    '',
    '## Queue names',
    'Addresses below are contract names. With `QUEUE_NAMESPACE` set (both services must use the same one), every queue, dead-letter queue and dead-letter routing key is `<QUEUE_NAMESPACE>.<name>`.',
    '',
    '## Publishing',
    'Messages are JSON (`application/json`), validated against their schema before they are sent, published persistent through the default exchange (routing key = queue name) with `mandatory` set and publisher confirms: an unroutable message is an error, not a silent loss.',
    '',
    '## Request/reply',
    `${REQUEST_REPLY_CONVENTION.rule} In AMQP these are message properties (\`correlationId\`, \`replyTo\`, \`messageId\`), which the runtime expressions here address as \`$message.header#/…\`.`,
    `The backend names as replyTo ${REQUEST_REPLY_CONVENTION.replyTo}. A request without replyTo or correlationId, or whose reply queue does not exist, is dead-lettered by the responder. A responder acks a request only after its reply was confirmed, so handlers are idempotent and a reply may arrive twice.`,
    '',
    '## Dead letters',
    `Every queue here except the dead-letter queues is a durable quorum queue with \`x-delivery-limit: ${DELIVERY_LIMIT}\`, dead-letter exchange \`${DEAD_LETTER_EXCHANGE}\` (direct) and dead-letter routing key \`<queue>.dead-letter\`.`,
    `A consumer that cannot process a message (invalid JSON, schema violation, handler failure) copies it to \`<queue>.dead-letter\` with the reason in header \`${DEAD_LETTER_REASON_HEADER}\` and where it came from in ${DEAD_LETTER_HEADERS.slice(1).map((h) => `\`${h}\``).join(', ')}, then acks it.`,
    `RabbitMQ itself dead-letters to the same queue a message delivered ${DELIVERY_LIMIT} times (a requeue loop, a crashing consumer) or rejected without requeue; those carry RabbitMQ's \`x-death\` header instead of a reason.`,
    'Dead-letter queues are durable classic queues that no service consumes: operators inspect and replay them.',
  ].join('\n');
}

function operations(catalogue: readonly CatalogueQueue[]): Json {
  const replies = repliesOf(catalogue);
  const ops: Json = {};
  const app = (a: MessagingApplication): Json => ({ tags: [{ name: a }], 'x-ashchat-application': a });

  for (const q of catalogue) {
    const requests = q.messages.filter((m) => m.reply);
    for (const sender of q.senders) {
      for (const m of q.messages) {
        // The responder's reply is described by the `reply` of its receive operation.
        if (replies.has(m.schema.$id)) continue;
        ops[`${sender}.send${m.schema.$id}`] = {
          action: 'send',
          channel: ref('channels', q.name),
          title: `${sender} sends ${title(m.schema.$id)}`,
          summary: m.summary,
          ...app(sender),
          messages: [ref('channels', q.name, 'messages', m.schema.$id)],
          bindings: { amqp: { deliveryMode: 2, mandatory: true, bindingVersion: AMQP_BINDING_VERSION } },
          ...(m.reply
            ? {
                description: `Sets replyTo to its reply queue \`${m.reply.queue}\` and correlationId \`${REQUEST_REPLY_CONVENTION.correlationId}\` (messageId = correlationId); the ${title(m.reply.schema.$id)} arrives there.`,
                reply: {
                  channel: ref('channels', m.reply.queue),
                  messages: [ref('channels', m.reply.queue, 'messages', m.reply.schema.$id)],
                },
              }
            : {}),
        };
      }
    }
    for (const receiver of q.receivers) {
      const consumed = q.consumedAs.$id;
      ops[`${receiver}.receive${consumed}`] = {
        action: 'receive',
        channel: ref('channels', q.name),
        title: `${receiver} receives ${title(consumed)}`,
        summary: `Consumes \`${q.name}\`, validating every body against ${consumed}; acks after handling.`,
        ...app(receiver),
        messages: q.messages.map((m) => ref('channels', q.name, 'messages', m.schema.$id)),
        bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
        ...(requests.length > 0
          ? {
              description: 'Publishes the reply (persistent, confirmed) to the queue named by the request\'s replyTo, with the request\'s correlationId, and only then acks the request.',
              reply: {
                address: { location: REPLY_TO_LOCATION, description: 'The queue named by the request\'s replyTo property.' },
                channel: ref('channels', REPLY_TO_CHANNEL),
                messages: requests.map((m) => ref('channels', REPLY_TO_CHANNEL, 'messages', m.reply?.schema.$id ?? '')),
              },
            }
          : {}),
      };
      ops[`${receiver}.deadLetter${consumed}`] = {
        action: 'send',
        channel: ref('channels', deadLetterQueueName(q.name)),
        title: `${receiver} dead-letters ${title(consumed)}`,
        summary: `Copies a message of \`${q.name}\` it cannot process to \`${deadLetterQueueName(q.name)}\`, with the reason.`,
        description: `Published to exchange \`${DEAD_LETTER_EXCHANGE}\` with routing key \`${deadLetterQueueName(q.name)}\`, keeping the body and properties, then the original is acked. RabbitMQ dead-letters to the same queue on its own (delivery limit, reject without requeue).`,
        ...app(receiver),
        messages: [ref('channels', deadLetterQueueName(q.name), 'messages', deadLetterMessageId(q))],
        bindings: { amqp: { deliveryMode: 2, bindingVersion: AMQP_BINDING_VERSION } },
      };
    }
  }
  return ops;
}

function channels(catalogue: readonly CatalogueQueue[]): Json {
  const out: Json = {};
  for (const q of catalogue) {
    out[q.name] = workChannel(q);
    out[deadLetterQueueName(q.name)] = deadLetterChannel(q);
  }
  const replyIds = [...repliesOf(catalogue).keys()];
  out[REPLY_TO_CHANNEL] = {
    address: null,
    title: 'The requester\'s reply queue',
    description: `Where a responder publishes a reply: the queue named by the request's replyTo, decided at run time. The backend always names \`${[...new Set(catalogue.flatMap((q) => q.messages.flatMap((m) => (m.reply ? [m.reply.queue] : []))))].join('`, `')}\`.`,
    messages: Object.fromEntries(replyIds.map((id) => [id, ref('components', 'messages', id)])),
  };
  return out;
}

/** The document as a plain object (keys in a fixed order), for tests and for renderAsyncApi(). */
export function buildAsyncApi(catalogue: readonly CatalogueQueue[] = MESSAGING_CATALOGUE): Json {
  return {
    asyncapi: '3.0.0',
    info: {
      title: ASYNCAPI_TITLE,
      version: ASYNCAPI_DOCUMENT_VERSION,
      description: describeInfo(),
      tags: Object.entries(MESSAGING_APPLICATIONS).map(([name, description]) => ({ name, description })),
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: {
        host: 'rabbitmq.example:5672',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        title: 'RabbitMQ',
        description:
          'Placeholder host: each service connects to its `AMQP_URI`. `QUEUE_NAMESPACE` prefixes every queue name (`<namespace>.<queue>`; empty = the names below), so several environments can share one broker.',
      },
    },
    channels: channels(catalogue),
    operations: operations(catalogue),
    components: {
      messages: messageComponents(catalogue, repliesOf(catalogue)),
      correlationIds: {
        sagaRequest: {
          description: `AMQP property correlationId: \`${REQUEST_REPLY_CONVENTION.correlationId}\` on a request (its messageId is the same), copied unchanged to the reply.`,
          location: '$message.header#/correlationId',
        },
      },
    },
  };
}

/** Deterministic YAML of the AsyncAPI 3.0.0 document (no timestamps; key order fixed by construction). */
export function renderAsyncApi(): string {
  const header = '# GENERATED FILE: do not edit. Source: packages/docs/src/asyncapi.document.ts\n';
  // No anchors/aliases for objects used twice, and no folding of long lines: plain, diffable text.
  return header + stringify(buildAsyncApi(), { aliasDuplicateObjects: false, lineWidth: 0 });
}
