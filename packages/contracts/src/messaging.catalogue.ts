import type { TSchema } from '@sinclair/typebox';
import {
  ACCOUNT_CREATION_QUEUE,
  ACCOUNT_NOTICE_QUEUE,
  CONFIRM_CODE_QUEUE,
  CONFIRM_EMAIL_CODE_QUEUE,
  DEVICE_CHALLENGE_REPLY_QUEUE,
  DEVICE_CODE_QUEUE,
  PASSWORD_RESET_CODE_QUEUE,
  PASSWORD_RESET_REPLY_QUEUE,
  REGISTRATION_REPLY_QUEUE,
  CHAT_MESSAGE_CREATED_QUEUE,
  DIGEST_MAIL_QUEUE,
  DIGEST_REPLY_QUEUE,
  TRANSLATION_QUEUE,
  TRANSLATION_REPLY_QUEUE,
  type QueueName,
} from './queues.js';
import { ChatMessageCreated, DigestMailReply, DigestMailRequest } from './digest.messages.js';
import { TranslationReply, TranslationRequest } from './translation.messages.js';
import {
  AccountNotice,
  DeviceChallengeReply,
  PasswordResetReply,
  CodeMailReply,
  ConfirmCodeReply,
  ConfirmCodeRequest,
  DeviceCodeRequest,
  PasswordResetCodeRequest,
} from './account.messages.js';
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
  backend:
    'The HTTP API. Runs the sagas (registration, password reset, device challenge, account deletion, missed-message digest): publishes requests from their outboxes and applies the replies.',
  verifier: 'The mail worker. Mails codes, account notices and missed-message digests, checks submitted codes in Redis, answers every request.',
  translator:
    'The translation worker. Translates message texts with a machine-translation engine (Apertium APY or a LibreTranslate-compatible server), through a pivot language where no direct pair exists; caches by text and pair in Redis.',
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
  replyTo: 'the requester’s reply queue (`REGISTRATION_REPLY_QUEUE`, `PASSWORD_RESET_REPLY_QUEUE`, `DEVICE_CHALLENGE_REPLY_QUEUE`, `DIGEST_REPLY_QUEUE`, `TRANSLATION_REPLY_QUEUE`, under QUEUE_NAMESPACE): durable, shared by every backend instance',
  rule:
    'The requester sets correlationId = `<sagaId>:<requestId>`, messageId = correlationId and replyTo = its reply queue. ' +
    'The responder publishes its reply to replyTo with the same correlationId. The reply body repeats `requestId`; ' +
    'a reply whose requestId differs from the part after the last `:` of its correlationId is dead-lettered by the requester. ' +
    'Translation requests are not saga requests: their correlationId is `<messageId>:<version>`, which the reply repeats whole as `requestId`.',
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
  {
    name: PASSWORD_RESET_CODE_QUEUE,
    description:
      'Requests for a password-reset code: the verifier mails a fresh code to an account’s address (nothing when there is no account) and keeps its digest in Redis.',
    messages: [
      {
        schema: named(PasswordResetCodeRequest),
        summary: 'Mail a password-reset code for this reset.',
        reply: { queue: PASSWORD_RESET_REPLY_QUEUE, schema: named(CodeMailReply) },
      },
    ],
    consumedAs: named(PasswordResetCodeRequest),
    senders: ['backend'],
    receivers: ['verifier'],
  },
  {
    name: DEVICE_CODE_QUEUE,
    description: 'Requests for a new-device sign-in code: the verifier mails the code, which device asked and when, and a "this was not me" link.',
    messages: [
      {
        schema: named(DeviceCodeRequest),
        summary: 'Mail a sign-in code for this device challenge.',
        reply: { queue: DEVICE_CHALLENGE_REPLY_QUEUE, schema: named(CodeMailReply) },
      },
    ],
    consumedAs: named(DeviceCodeRequest),
    senders: ['backend'],
    receivers: ['verifier'],
  },
  {
    name: CONFIRM_CODE_QUEUE,
    description: 'Requests to check a submitted code of a password reset or a device challenge (as an HMAC digest, never in clear). The reply goes to the requesting saga’s reply queue.',
    messages: [
      {
        schema: named(ConfirmCodeRequest),
        summary: 'Check a submitted code for this flow.',
        reply: { queue: PASSWORD_RESET_REPLY_QUEUE, schema: named(ConfirmCodeReply) },
      },
    ],
    consumedAs: named(ConfirmCodeRequest),
    senders: ['backend'],
    receivers: ['verifier'],
  },
  {
    name: ACCOUNT_NOTICE_QUEUE,
    description: 'One way, no reply: account notices to mail (password changed, account deleted). At least once; the verifier mails each notice id once.',
    messages: [{ schema: named(AccountNotice), summary: 'Mail this notice to the account’s address.' }],
    consumedAs: named(AccountNotice),
    senders: ['backend'],
    receivers: ['verifier'],
  },
  {
    name: PASSWORD_RESET_REPLY_QUEUE,
    description: 'Replies of the verifier to the password-reset saga. Durable and shared by every backend instance.',
    messages: [
      { schema: named(CodeMailReply), summary: 'Whether the reset code mail went out.' },
      { schema: named(ConfirmCodeReply), summary: 'Whether the submitted code was right, and what is left.' },
    ],
    consumedAs: named(PasswordResetReply),
    senders: ['verifier'],
    receivers: ['backend'],
  },
  {
    name: DEVICE_CHALLENGE_REPLY_QUEUE,
    description: 'Replies of the verifier to the device-challenge saga. Durable and shared by every backend instance.',
    messages: [
      { schema: named(CodeMailReply), summary: 'Whether the device code mail went out.' },
      { schema: named(ConfirmCodeReply), summary: 'Whether the submitted code was right, and what is left.' },
    ],
    consumedAs: named(DeviceChallengeReply),
    senders: ['verifier'],
    receivers: ['backend'],
  },
  {
    name: CHAT_MESSAGE_CREATED_QUEUE,
    description:
      'One way, backend to backend: a message was stored (ids only, never the body). Any backend instance turns it into one event per recipient for their digest sagas; a malformed event is dead-lettered with the reason.',
    messages: [{ schema: named(ChatMessageCreated), summary: '`chat.message.created`: a message was stored.' }],
    consumedAs: named(ChatMessageCreated),
    senders: ['backend'],
    receivers: ['backend'],
  },
  {
    name: DIGEST_MAIL_QUEUE,
    description:
      'Requests to mail a missed-message digest: conversations with unread messages (muted ones left out), counts and short excerpts. The verifier mails each `dedupKey` once.',
    messages: [
      {
        schema: named(DigestMailRequest),
        summary: 'Mail this digest to the user.',
        reply: { queue: DIGEST_REPLY_QUEUE, schema: named(DigestMailReply) },
      },
    ],
    consumedAs: named(DigestMailRequest),
    senders: ['backend'],
    receivers: ['verifier'],
  },
  {
    name: DIGEST_REPLY_QUEUE,
    description: 'Replies of the verifier to the digest sagas. Durable and shared by every backend instance.',
    messages: [{ schema: named(DigestMailReply), summary: 'Whether the digest mail went out.' }],
    consumedAs: named(DigestMailReply),
    senders: ['verifier'],
    receivers: ['backend'],
  },
  {
    name: TRANSLATION_QUEUE,
    description:
      'Requests to translate a stored message into the languages of its readers. Durable: while the translator is down they wait here and are answered when it is back. correlationId = messageId = `<messageId>:<version>`.',
    messages: [
      {
        schema: named(TranslationRequest),
        summary: 'Translate this text into these languages.',
        reply: { queue: TRANSLATION_REPLY_QUEUE, schema: named(TranslationReply) },
      },
    ],
    consumedAs: named(TranslationRequest),
    senders: ['backend'],
    receivers: ['translator'],
  },
  {
    name: TRANSLATION_REPLY_QUEUE,
    description:
      'Translations back from the translator. Durable and shared by every backend instance: any instance stores them on the message and tells the readers; a repeated reply changes nothing.',
    messages: [{ schema: named(TranslationReply), summary: 'The translations of one request (or why there is none).' }],
    consumedAs: named(TranslationReply),
    senders: ['translator'],
    receivers: ['backend'],
  },
];

/** The catalogue entry of a contract queue; throws for a queue the catalogue does not know. */
export function catalogueQueue(name: string): CatalogueQueue {
  const entry = MESSAGING_CATALOGUE.find((q) => q.name === name);
  if (!entry) throw new Error(`queue "${name}" is not in the messaging catalogue`);
  return entry;
}
