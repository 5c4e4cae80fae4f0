import type { TSchema } from '@sinclair/typebox';
import { ACCOUNT_CREATION_QUEUE, CONFIRM_EMAIL_CODE_QUEUE, REGISTRATION_REPLY_QUEUE, type QueueName } from './queues.js';
import {
  AccountCreationReply,
  AccountCreationRequest,
  ConfirmEmailCodeReply,
  ConfirmEmailCodeRequest,
  RegistrationReply,
} from './verification.messages.js';

/**
 * Who talks over RabbitMQ, which queue carries what, and which request expects which reply. The
 * generated AsyncAPI document is rendered from this; tests tie it to what the services declare, so
 * a queue or message added in code but not here fails a test instead of silently missing from docs.
 */

export const MESSAGING_APPLICATIONS = {
  backend: 'The HTTP API. Runs the registration saga: publishes requests from its outbox and applies the replies.',
  verifier: 'The verification worker. Mails codes, checks submitted codes in Redis, answers every request.',
} as const;
export type MessagingApplication = keyof typeof MESSAGING_APPLICATIONS;

/** A TypeBox schema with the `$id` it is known by in the documents. */
export type NamedSchema = TSchema & { $id: string };

/** Checked once at load: a schema without `$id` would have no name in the generated documents. */
function named(schema: TSchema): NamedSchema {
  if (typeof schema.$id !== 'string' || schema.$id === '') throw new Error('messaging catalogue schemas need an $id');
  return schema as NamedSchema;
}

export interface CatalogueMessage {
  schema: NamedSchema;
  summary: string;
  /** Set on requests: the answer the receiver publishes to the request's `replyTo`. */
  reply?: { queue: QueueName; schema: NamedSchema };
}

export interface CatalogueQueue {
  name: QueueName;
  description: string;
  /** One entry per message type that may arrive; requests carry their reply. */
  messages: readonly CatalogueMessage[];
  /** What the receiver validates every body against (a union when several message types share the queue). */
  consumedAs: NamedSchema;
  senders: readonly MessagingApplication[];
  receivers: readonly MessagingApplication[];
}

/**
 * How a reply finds its request. Set by the requester; the responder copies `correlationId` to the
 * reply unchanged and publishes it to `replyTo`.
 */
export const REQUEST_REPLY_CONVENTION = {
  correlationId: '<sagaId>:<requestId>',
  /** The request's messageId: a redelivered or re-published request keeps its id. */
  messageId: 'same as correlationId',
  replyTo: '`REGISTRATION_REPLY_QUEUE` (under QUEUE_NAMESPACE): durable, shared by every backend instance',
  rule:
    'The requester sets correlationId = `<sagaId>:<requestId>`, messageId = correlationId and replyTo = its reply queue. ' +
    'The responder publishes its reply to replyTo with the same correlationId. The reply body repeats `requestId`; ' +
    'a reply whose requestId differs from the part after the last `:` of its correlationId is dead-lettered by the requester.',
} as const;

export const MESSAGING_CATALOGUE: readonly CatalogueQueue[] = [
  {
    name: ACCOUNT_CREATION_QUEUE,
    description:
      'Requests for a verification code: the verifier mails a fresh code (or the "you already have an account" mail) and keeps its digest in Redis.',
    messages: [
      {
        schema: named(AccountCreationRequest),
        summary: 'Mail a verification code for this registration.',
        reply: { queue: REGISTRATION_REPLY_QUEUE, schema: named(AccountCreationReply) },
      },
    ],
    consumedAs: named(AccountCreationRequest),
    senders: ['backend'],
    receivers: ['verifier'],
  },
  {
    name: CONFIRM_EMAIL_CODE_QUEUE,
    description: 'Requests to check a submitted code (as an HMAC digest, never in clear) against the pending one.',
    messages: [
      {
        schema: named(ConfirmEmailCodeRequest),
        summary: 'Check a submitted code for this registration.',
        reply: { queue: REGISTRATION_REPLY_QUEUE, schema: named(ConfirmEmailCodeReply) },
      },
    ],
    consumedAs: named(ConfirmEmailCodeRequest),
    senders: ['backend'],
    receivers: ['verifier'],
  },
  {
    name: REGISTRATION_REPLY_QUEUE,
    description:
      'Replies of the verifier to the registration saga. Durable and shared by every backend instance: the saga state lives in MongoDB, so any instance applies any reply.',
    messages: [
      { schema: named(AccountCreationReply), summary: 'Whether the code mail went out.' },
      { schema: named(ConfirmEmailCodeReply), summary: 'Whether the submitted code was right, and what is left.' },
    ],
    consumedAs: named(RegistrationReply),
    senders: ['verifier'],
    receivers: ['backend'],
  },
];

/** The catalogue entry of a contract queue; throws for a queue the catalogue does not know. */
export function catalogueQueue(name: string): CatalogueQueue {
  const entry = MESSAGING_CATALOGUE.find((q) => q.name === name);
  if (!entry) throw new Error(`queue "${name}" is not in the messaging catalogue`);
  return entry;
}
