import { Type, type Static } from '@sinclair/typebox';
import { described, IsoDateTime, TextString, TranslationLanguage, Uuid } from './common.schema.js';
import { MessageReaction } from './reaction.schema.js';
import { AttachmentIds, MessageAttachment } from './files.http.js';

const EXAMPLE_CONVERSATION_ID = '665f1c2ab3d4e5f6a7b8c9d0';
const EXAMPLE_MESSAGE_ID = '665f1c9eb3d4e5f6a7b8c9e1';
const EXAMPLE_USER_ID = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';

/** Server-assigned ids of conversations and messages: 24 lower-case hex digits. */
export const ObjectIdString = Type.String({
  pattern: '^[0-9a-f]{24}$',
  description: 'Server-assigned id (24 lower-case hex digits)',
  examples: [EXAMPLE_CONVERSATION_ID],
});

/** An opaque pagination cursor: pass back the `nextCursor` of the previous page as it is. */
export const PageCursor = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Opaque cursor: the `nextCursor` of the previous page, passed back unchanged',
  examples: ['eyJpZCI6IjY2NWYxYzllYjNkNGU1ZjZhN2I4YzllMSJ9'],
});

export const PageLimit = Type.Integer({ minimum: 1, maximum: 100, default: 50, description: 'Items per page, 1–100', examples: [50] });

const MessageBodyText = TextString({
  minLength: 1,
  maxLength: 4000,
  pattern: '\\S',
  description: 'The text of the message, 1–4000 characters, not only whitespace',
  examples: ['Hello, Ada!'],
});

/** As stored and shown: empty for a message of attachments only. */
const MessageViewText = TextString({ maxLength: 4000, description: 'The text of the message, at most 4000 characters', examples: ['Hello, Ada!'] });

export const ClientMessageId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description:
    'Chosen by the client, unique per conversation and sender (a UUID will do): sending again with the same id returns the stored message instead of a second one',
  examples: ['c0a8012e-5b1f-4c3a-9d2e-7f6a5b4c3d2e'],
});

/** How many graphemes of the original a reply's quote keeps. */
export const QUOTE_EXCERPT_GRAPHEMES = 140;

export const Quote = Type.Object(
  {
    id: described(ObjectIdString, 'The message replied to (same conversation)'),
    senderId: described(Uuid, 'Who sent the message replied to'),
    excerpt: Type.Union([TextString({ maxLength: 4000, description: 'The first 140 graphemes of its text' }), Type.Null()], {
      description: 'The start of the text replied to; null once that message is deleted',
    }),
    deleted: Type.Boolean({ description: 'true once the message replied to is deleted (resolved when the reply is read)' }),
  },
  {
    // Inlined in MessageView (no $id): MessageView also travels inline in WebSocket frames, where no $ref resolves.
    description: 'The message a reply answers, as a short quote.',
    examples: [{ id: EXAMPLE_MESSAGE_ID, senderId: EXAMPLE_USER_ID, excerpt: 'Hello, Ada!', deleted: false }],
  },
);
export type Quote = Static<typeof Quote>;

/**
 * The reader's translation of a message. Per reader: history (REST, resume) and the conversation
 * list's last message fill it for the caller; `message.new`/`message.edited` events carry null and
 * `message.translated` follows.
 */
export const MessageTranslation = Type.Object(
  {
    language: described(TranslationLanguage, 'The language of the translation (the reader’s)'),
    status: Type.Union([Type.Literal('translated'), Type.Literal('pending'), Type.Literal('untranslated')], {
      description: '`translated`: `text` holds it; `pending`: asked for, not there yet (a `message.translated` event follows); `untranslated`: none can be made (`reason`)',
    }),
    text: Type.Union([TextString({ maxLength: 48_000 }), Type.Null()], { description: 'The translated text; null unless `translated`' }),
    via: Type.Array(TranslationLanguage, { maxItems: 3, description: 'Languages it was translated through when no direct pair exists (`["es"]` for en → es → fr)' }),
    reason: Type.Union([Type.Literal('no-path'), Type.Literal('engine-refused'), Type.Literal('too-long'), Type.Null()], {
      description: 'Why it is `untranslated`: `no-path` (no pair and no pivot between the languages, e.g. German today), `engine-refused`, `too-long`; null otherwise',
    }),
  },
  {
    // Inlined (no $id): travels inside MessageView in WebSocket frames too.
    description: 'The message in the reader’s language, machine-translated.',
    examples: [{ language: 'es', status: 'translated', text: 'Buenos días', via: [], reason: null }],
  },
);
export type MessageTranslation = Static<typeof MessageTranslation>;

export const MessageView = Type.Object(
  {
    id: described(ObjectIdString, 'Identifies the message; ids grow with the time of sending'),
    conversationId: described(ObjectIdString, 'The conversation the message belongs to'),
    senderId: described(Uuid, 'The user who sent it'),
    clientMessageId: ClientMessageId,
    body: Type.Union([MessageViewText, Type.Null()], { description: 'The text; null once the message is deleted (empty for a message of attachments only)' }),
    createdAt: IsoDateTime,
    editedAt: Type.Union([IsoDateTime, Type.Null()], { description: 'When the sender last edited it; null if never' }),
    deletedAt: Type.Union([IsoDateTime, Type.Null()], { description: 'When the sender deleted it; null unless deleted' }),
    seq: Type.Integer({
      minimum: 0,
      description:
        'Position in the conversation in the order messages were stored (1, 2, 3, …; a failed send may leave a hole); 0 for messages stored before positions existed. Resume cursors carry it (`lastSeq`)',
      examples: [42],
    }),
    reactions: Type.Array(MessageReaction, {
      description:
        'Emojis on the message, first-used first, with counts and whether the caller reacted; empty once deleted. Empty in `message.edited` events: keep the reactions you have (`reaction.updated` keeps them current)',
    }),
    attachments: Type.Array(MessageAttachment, { description: 'Files sent with the message; empty when none and once deleted' }),
    replyTo: Type.Union([Quote, Type.Null()], { description: 'The message this one replies to, quoted; null if it is no reply' }),
    mentions: Type.Array(Uuid, {
      uniqueItems: true,
      description: 'Members named as `@nickname` in the body (resolved at sending and at each edit; empty once deleted)',
    }),
    language: Type.Union([TranslationLanguage, Type.Null()], { description: 'The language the body is written in (the sender’s, or detected); null before languages were recorded' }),
    translation: Type.Union([MessageTranslation, Type.Null()], {
      description:
        'The body in the reader’s language; null when none applies (same language, auto-translation off, nothing to translate, deleted) and in `message.new`/`message.edited` events',
    }),
  },
  {
    $id: 'MessageView',
    description: 'A message as members of its conversation see it.',
    examples: [
      {
        id: EXAMPLE_MESSAGE_ID,
        conversationId: EXAMPLE_CONVERSATION_ID,
        senderId: EXAMPLE_USER_ID,
        clientMessageId: 'c0a8012e-5b1f-4c3a-9d2e-7f6a5b4c3d2e',
        body: 'Hello, Ada!',
        createdAt: '2026-01-01T12:00:00.000Z',
        editedAt: null,
        deletedAt: null,
        seq: 42,
        reactions: [{ emoji: '👍', count: 2, me: true }],
        attachments: [],
        replyTo: null,
        mentions: [],
        language: 'en',
        translation: null,
      },
    ],
  },
);
export type MessageView = Static<typeof MessageView>;

export const SendMessageBody = Type.Object(
  {
    body: Type.Optional(described(MessageBodyText, 'The text of the message, 1–4000 characters, not only whitespace; may be left out when `attachmentIds` is given')),
    clientMessageId: ClientMessageId,
    attachmentIds: Type.Optional(AttachmentIds),
    replyTo: Type.Optional(
      described(ObjectIdString, 'Replies to this message of the same conversation (REPLY_TARGET_NOT_FOUND otherwise); a deleted one may be replied to'),
    ),
  },
  {
    $id: 'SendMessageBody',
    additionalProperties: false,
    description: 'A new message. The sender is the authenticated user. `@nickname` in the body mentions that member.',
    examples: [
      { body: 'Hello, Ada!', clientMessageId: 'c0a8012e-5b1f-4c3a-9d2e-7f6a5b4c3d2e' },
      { body: '@Ada Lovelace agreed!', clientMessageId: 'c0a8012e-5b1f-4c3a-9d2e-7f6a5b4c3d2f', replyTo: EXAMPLE_MESSAGE_ID },
    ],
  },
);
export type SendMessageBody = Static<typeof SendMessageBody>;

export const EditMessageBody = Type.Object(
  { body: MessageBodyText },
  { $id: 'EditMessageBody', additionalProperties: false, description: 'The new text of an own message.', examples: [{ body: 'Hello again, Ada!' }] },
);
export type EditMessageBody = Static<typeof EditMessageBody>;

export const MessageParams = Type.Object(
  {
    id: described(ObjectIdString, 'The conversation'),
    messageId: described(ObjectIdString, 'The message'),
  },
  { additionalProperties: false },
);
export type MessageParams = Static<typeof MessageParams>;

export const ListMessagesQuery = Type.Object(
  {
    before: Type.Optional(described(PageCursor, 'Continue below this cursor (the `nextCursor` of the previous page); omit for the newest messages')),
    limit: Type.Optional(PageLimit),
  },
  { additionalProperties: false },
);
export type ListMessagesQuery = Static<typeof ListMessagesQuery>;

export const MessagePage = Type.Object(
  {
    items: Type.Array(Type.Ref(MessageView), { description: 'Messages, newest first' }),
    nextCursor: Type.Union([PageCursor, Type.Null()], { description: 'Pass as `before` for older messages; null on the last page' }),
  },
  {
    $id: 'MessagePage',
    description:
      'One page of a conversation, newest first. Walking the pages with `nextCursor` visits every message that existed when the walk began exactly once, whatever is sent meanwhile.',
  },
);
export type MessagePage = Static<typeof MessagePage>;

export const MarkReadBody = Type.Object(
  { upTo: described(ObjectIdString, 'The newest message read; the read marker never moves back') },
  { $id: 'MarkReadBody', additionalProperties: false, description: 'Marks the conversation read up to a message.', examples: [{ upTo: EXAMPLE_MESSAGE_ID }] },
);
export type MarkReadBody = Static<typeof MarkReadBody>;

export const ReadState = Type.Object(
  {
    conversationId: described(ObjectIdString, 'The conversation'),
    lastReadMessageId: Type.Union([ObjectIdString, Type.Null()], { description: 'The read marker: the newest message read; null if none' }),
    unreadCount: Type.Integer({ minimum: 0, description: 'Messages of others after the read marker (deleted ones excluded)', examples: [0] }),
    unreadMentionCount: Type.Integer({ minimum: 0, description: 'Of those, the ones that mention the user', examples: [0] }),
  },
  {
    $id: 'ReadState',
    description: 'Where the user has read a conversation up to.',
    examples: [{ conversationId: EXAMPLE_CONVERSATION_ID, lastReadMessageId: EXAMPLE_MESSAGE_ID, unreadCount: 0, unreadMentionCount: 0 }],
  },
);
export type ReadState = Static<typeof ReadState>;
