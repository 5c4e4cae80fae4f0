import { Type, type Static } from '@sinclair/typebox';
import { described, Email, EpochMs, LanguageTag, LineString, Nickname, TextString, Uuid } from './common.schema.js';
import { ObjectIdString } from './messages.http.js';

/**
 * Queue messages of the missed-message mail (the digest). Message events carry ids only, never a
 * body; the digest request carries excerpts of unread messages of conversations the user has not
 * muted (muted ones are left out before anything is published).
 */

const EXAMPLE_USER = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';
const EXAMPLE_OTHER = '9a1c2e3f-4b5d-4c6e-8f70-1a2b3c4d5e6f';
const EXAMPLE_CONVERSATION = '665f1c9eb3d4e5f6a7b8c9d0';
const EXAMPLE_MESSAGE = '665f1c9eb3d4e5f6a7b8c9e1';

/**
 * Backend → backend on CHAT_MESSAGE_CREATED_QUEUE (one way): a message was stored. The digest
 * consumer turns it into one saga event per recipient. Ids only: the body never travels here.
 */
export const ChatMessageCreated = Type.Object(
  {
    type: Type.Literal('chat.message.created'),
    messageId: described(ObjectIdString, 'The stored message'),
    conversationId: described(ObjectIdString, 'Its conversation'),
    senderId: described(Uuid, 'Who sent it'),
    recipientIds: Type.Array(Uuid, { maxItems: 10_000, description: 'Members of the conversation other than the sender, when it was sent' }),
    mentionedUserIds: Type.Array(Uuid, { maxItems: 10_000, description: 'Members the message mentions (empty when none, or before mentions existed)' }),
    at: described(EpochMs, 'When the message was stored'),
  },
  {
    $id: 'ChatMessageCreated',
    additionalProperties: false,
    description: 'A message was stored (ids only, never the body).',
    examples: [
      {
        type: 'chat.message.created',
        messageId: EXAMPLE_MESSAGE,
        conversationId: EXAMPLE_CONVERSATION,
        senderId: EXAMPLE_OTHER,
        recipientIds: [EXAMPLE_USER],
        mentionedUserIds: [],
        at: 1767225600000,
      },
    ],
  },
);
export type ChatMessageCreated = Static<typeof ChatMessageCreated>;

const SagaRequestId = LineString({ minLength: 1, maxLength: 64, description: 'The request within its saga (`r1`, `r2`…)' });

export const DigestExcerpt = Type.Object(
  {
    sender: described(Nickname, 'Who wrote it'),
    text: TextString({ maxLength: 200, description: 'The start of the message (at most 200 characters, cut with an ellipsis)' }),
    at: described(EpochMs, 'When it was sent'),
  },
  { $id: 'DigestExcerpt', additionalProperties: false, description: 'One unread message, shortened.', examples: [{ sender: 'Bob', text: 'Are you coming tonight?', at: 1767225600000 }] },
);

export const DigestConversation = Type.Object(
  {
    conversationId: described(ObjectIdString, 'The conversation'),
    name: LineString({ minLength: 1, maxLength: 100, description: 'The group’s name, or the other member’s nickname in a direct chat' }),
    unreadCount: Type.Integer({ minimum: 1, description: 'Unread messages from others', examples: [3] }),
    mentionCount: Type.Integer({ minimum: 0, description: 'Of those, the ones that mention the user', examples: [1] }),
    excerpts: Type.Array(DigestExcerpt, { maxItems: 3, description: 'The latest few unread messages, oldest first' }),
  },
  {
    $id: 'DigestConversation',
    additionalProperties: false,
    description: 'A conversation with unread messages that the user has not muted.',
    examples: [{ conversationId: EXAMPLE_CONVERSATION, name: 'Bob', unreadCount: 3, mentionCount: 1, excerpts: [{ sender: 'Bob', text: 'Are you coming tonight?', at: 1767225600000 }] }],
  },
);
export type DigestConversation = Static<typeof DigestConversation>;

/**
 * Backend → verifier on DIGEST_MAIL_QUEUE (request/reply, like the code mails): mail the digest.
 * `dedupKey` (the saga id and its period) is mailed once however often the request is delivered.
 */
export const DigestMailRequest = Type.Object(
  {
    digestId: described(LineString({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }), 'The user’s digest saga'),
    requestId: SagaRequestId,
    dedupKey: LineString({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9:_-]+$', description: 'Mailed once per key: `<digestId>:<period>`' }),
    email: Email,
    nickname: Nickname,
    preferredLanguage: LanguageTag,
    conversations: Type.Array(DigestConversation, { minItems: 1, maxItems: 20, description: 'Conversations with unread messages, most recent first (muted ones never appear)' }),
    /** Conversations with unread messages beyond the listed ones. */
    moreConversations: Type.Integer({ minimum: 0, description: 'Further conversations with unread messages not listed', examples: [0] }),
    at: described(EpochMs, 'When the digest was put together'),
  },
  {
    $id: 'DigestMailRequest',
    additionalProperties: false,
    description: 'Mail the missed-message digest to the user.',
    examples: [
      {
        digestId: `digest-${EXAMPLE_USER}`,
        requestId: 'r3',
        dedupKey: `digest-${EXAMPLE_USER}:1`,
        email: 'ada@example.org',
        nickname: 'Ada Lovelace',
        preferredLanguage: 'en',
        conversations: [{ conversationId: EXAMPLE_CONVERSATION, name: 'Bob', unreadCount: 3, mentionCount: 1, excerpts: [{ sender: 'Bob', text: 'Are you coming tonight?', at: 1767225600000 }] }],
        moreConversations: 0,
        at: 1767226500000,
      },
    ],
  },
);
export type DigestMailRequest = Static<typeof DigestMailRequest>;

/** Verifier → digest saga on DIGEST_REPLY_QUEUE. `already-sent`: a repeated request of a period mailed before. */
export const DigestMailReply = Type.Object(
  {
    digestId: described(LineString({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }), 'The user’s digest saga'),
    requestId: SagaRequestId,
    outcome: Type.Union([Type.Literal('sent'), Type.Literal('already-sent'), Type.Literal('failed')], { description: 'Whether the mail went out' }),
    reason: Type.Optional(TextString({ maxLength: 500, description: 'Why it failed (for logs)' })),
  },
  {
    $id: 'DigestMailReply',
    additionalProperties: false,
    description: 'Whether the digest mail went out.',
    examples: [{ digestId: `digest-${EXAMPLE_USER}`, requestId: 'r3', outcome: 'sent' }],
  },
);
export type DigestMailReply = Static<typeof DigestMailReply>;
