import { Type, type Static } from '@sinclair/typebox';
import { described, IsoDateTime, Uuid } from './common.schema.js';
import { MessageTranslation, MessageView, ObjectIdString } from './messages.http.js';
import { ReactionEmoji } from './reaction.schema.js';

/**
 * What happened in a conversation, as every member's devices learn it: these travel between
 * backend instances (one Redis channel per user) and reach clients unchanged as WebSocket frames.
 * Each is published after the write it describes has been stored.
 */
export const MessageNewEvent = Type.Object(
  { type: Type.Literal('message.new'), conversationId: ObjectIdString, message: MessageView },
  { $id: 'MessageNewEvent', description: 'A message was sent (over REST or WebSocket) to a conversation of the user.' },
);
export type MessageNewEvent = Static<typeof MessageNewEvent>;

export const MessageEditedEvent = Type.Object(
  { type: Type.Literal('message.edited'), conversationId: ObjectIdString, message: MessageView },
  { $id: 'MessageEditedEvent', description: 'Its sender edited a message; `message` is the message as it now is.' },
);
export type MessageEditedEvent = Static<typeof MessageEditedEvent>;

export const MessageDeletedEvent = Type.Object(
  { type: Type.Literal('message.deleted'), conversationId: ObjectIdString, message: MessageView },
  { $id: 'MessageDeletedEvent', description: 'Its sender deleted a message; `message.body` is null.' },
);
export type MessageDeletedEvent = Static<typeof MessageDeletedEvent>;

export const ReceiptUpdatedEvent = Type.Object(
  {
    type: Type.Literal('receipt.updated'),
    conversationId: ObjectIdString,
    userId: described(Uuid, 'The member whose read marker moved'),
    lastReadMessageId: described(ObjectIdString, 'The newest message that member has read'),
  },
  { $id: 'ReceiptUpdatedEvent', description: "A member's read marker moved forward." },
);
export type ReceiptUpdatedEvent = Static<typeof ReceiptUpdatedEvent>;

export const ConversationUpdatedEvent = Type.Object(
  {
    type: Type.Literal('conversation.updated'),
    conversationId: ObjectIdString,
    members: Type.Array(Uuid, { description: 'The members after the change; a user not among them has left or been removed' }),
    ownerId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'The owner after the change, when ownership passed to another member (a deleted account\'s groups)' })),
  },
  { $id: 'ConversationUpdatedEvent', description: 'A conversation was created, or members joined or left, or its ownership passed on.' },
);
export type ConversationUpdatedEvent = Static<typeof ConversationUpdatedEvent>;

export const ReactionUpdatedEvent = Type.Object(
  {
    type: Type.Literal('reaction.updated'),
    conversationId: ObjectIdString,
    messageId: described(ObjectIdString, 'The message reacted to'),
    emoji: ReactionEmoji,
    userId: described(Uuid, 'The member who added or removed the reaction'),
    added: Type.Boolean({ description: 'true: the member reacted with `emoji`; false: took it back' }),
    count: Type.Integer({ minimum: 0, description: 'How many members react with `emoji` now (0: the chip goes)', examples: [2] }),
  },
  {
    $id: 'ReactionUpdatedEvent',
    description:
      "A member added or removed a reaction. `me` differs per reader, so the event names the actor: a client sets its own `me` when `userId` is its user's. Only sent when something changed; the count is read right after the write (under concurrent reactions a later page read is exact).",
  },
);
export type ReactionUpdatedEvent = Static<typeof ReactionUpdatedEvent>;

export const MessageTranslatedEvent = Type.Object(
  {
    type: Type.Literal('message.translated'),
    conversationId: ObjectIdString,
    messageId: described(ObjectIdString, 'The message translated'),
    translation: MessageTranslation,
  },
  {
    $id: 'MessageTranslatedEvent',
    description:
      "The message in this user's language arrived (or it turned out none can be made: `status: 'untranslated'`). Sent only to members who read that language with auto-translation on, after the message itself; at most once per message text.",
  },
);
export type MessageTranslatedEvent = Static<typeof MessageTranslatedEvent>;

export const ChatEvent = Type.Union([MessageNewEvent, MessageEditedEvent, MessageDeletedEvent, ReceiptUpdatedEvent, ConversationUpdatedEvent, ReactionUpdatedEvent, MessageTranslatedEvent], {
  $id: 'ChatEvent',
  description: 'A change to a conversation, delivered to each of its members.',
});
export type ChatEvent = Static<typeof ChatEvent>;

/** Typing indicators are never stored: a `start` without a `stop` lapses after `expiresInMs`. */
export const TypingEvent = Type.Object(
  {
    type: Type.Literal('typing'),
    conversationId: ObjectIdString,
    userId: described(Uuid, 'The member who is typing'),
    state: Type.Union([Type.Literal('start'), Type.Literal('stop')]),
    expiresInMs: Type.Integer({ minimum: 0, description: 'After this long without another `start`, treat it as a `stop`' }),
  },
  { $id: 'TypingEvent', description: 'A member started or stopped typing.' },
);
export type TypingEvent = Static<typeof TypingEvent>;

export const PresenceEvent = Type.Object(
  {
    type: Type.Literal('presence'),
    userId: Uuid,
    status: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    lastSeen: Type.Union([IsoDateTime, Type.Null()], { description: 'When the user was last connected; null if never seen' }),
  },
  { $id: 'PresenceEvent', description: 'A watched user came online or went offline (a crashed instance\'s users go offline when their presence lapses).' },
);
export type PresenceEvent = Static<typeof PresenceEvent>;
