import { Type, type Static } from '@sinclair/typebox';
import { described, DisplayNameString, IsoDateTime, Nickname, Uuid } from './common.schema.js';
import { MessageView, ObjectIdString, PageCursor, PageLimit } from './messages.http.js';
import { AvatarUrl } from './users.http.js';

const EXAMPLE_CONVERSATION_ID = '665f1c2ab3d4e5f6a7b8c9d0';
const ADA = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';
const BOB = '9a1d4e7c-2b3f-4a5e-8c6d-1e2f3a4b5c6d';

const UserId = described(Uuid, 'A user id');

const GroupName = DisplayNameString({
  minLength: 1,
  maxLength: 100,
  pattern: '\\S',
  description: 'Name of the group, 1–100 characters, not only whitespace',
  examples: ['Analytical Engine'],
});

export const CreateDirectConversationBody = Type.Object(
  {
    type: Type.Literal('direct', { description: 'A conversation of exactly two users' }),
    members: Type.Array(UserId, { minItems: 1, maxItems: 1, description: 'The other user (the caller is the second member)' }),
  },
  { additionalProperties: false, description: 'The direct conversation with another user; there is at most one per pair.' },
);

export const CreateGroupConversationBody = Type.Object(
  {
    type: Type.Literal('group', { description: 'A named conversation owned by its creator' }),
    name: GroupName,
    members: Type.Array(UserId, { minItems: 0, maxItems: 100, uniqueItems: true, description: 'The other members (the caller joins as owner)' }),
  },
  { additionalProperties: false, description: 'A new group, owned by the caller.' },
);

export const CreateConversationBody = Type.Union([CreateDirectConversationBody, CreateGroupConversationBody], {
  $id: 'CreateConversationBody',
  description: 'A direct conversation (found or created) or a new group.',
  examples: [{ type: 'direct', members: [BOB] }, { type: 'group', name: 'Analytical Engine', members: [BOB] }],
});
export type CreateConversationBody = Static<typeof CreateConversationBody>;

export const ConversationView = Type.Object(
  {
    id: described(ObjectIdString, 'Identifies the conversation'),
    type: Type.Union([Type.Literal('direct'), Type.Literal('group')], { description: '`direct` (two users) or `group`' }),
    name: Type.Union([GroupName, Type.Null()], { description: 'The group name; null for direct conversations' }),
    ownerId: Type.Union([Uuid, Type.Null()], { description: 'Who may add and remove members of a group; null for direct conversations' }),
    members: Type.Array(UserId, { description: 'Every member, in the order they joined' }),
    createdAt: IsoDateTime,
    lastActivityAt: described(IsoDateTime, 'When the conversation was created or last received a message'),
    lastMessage: Type.Union([Type.Ref(MessageView), Type.Null()], { description: 'The newest message (with its translation for the caller, as in the history); null before the first' }),
    unreadCount: Type.Integer({ minimum: 0, description: "Others' messages after the caller's read marker (deleted ones excluded)", examples: [2] }),
    unreadMentionCount: Type.Integer({ minimum: 0, description: 'Of those, the ones that mention the caller (`@nickname`); muting keeps counting', examples: [1] }),
    muted: Type.Boolean({ description: 'Whether the caller has muted it now (no mail, no mention alert; unread still counted)', examples: [false] }),
    mutedUntil: Type.Union([IsoDateTime, Type.Null()], { description: 'When the caller’s mute ends; null when not muted or muted until unmuted' }),
  },
  {
    $id: 'ConversationView',
    description: 'A conversation as one of its members sees it.',
    examples: [
      {
        id: EXAMPLE_CONVERSATION_ID,
        type: 'direct',
        name: null,
        ownerId: null,
        members: [ADA, BOB],
        createdAt: '2026-01-01T12:00:00.000Z',
        lastActivityAt: '2026-01-01T12:00:00.000Z',
        lastMessage: null,
        unreadCount: 0,
        unreadMentionCount: 0,
        muted: false,
        mutedUntil: null,
      },
    ],
  },
);
export type ConversationView = Static<typeof ConversationView>;

export const ConversationParams = Type.Object({ id: described(ObjectIdString, 'The conversation') }, { additionalProperties: false });
export type ConversationParams = Static<typeof ConversationParams>;

export const MemberParams = Type.Object(
  { id: described(ObjectIdString, 'The conversation'), userId: described(Uuid, 'The member to remove (the caller: leave)') },
  { additionalProperties: false },
);
export type MemberParams = Static<typeof MemberParams>;

export const AddMembersBody = Type.Object(
  { members: Type.Array(UserId, { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Users to add; those already members are left as they are' }) },
  { $id: 'AddMembersBody', additionalProperties: false, description: 'Users for the owner to add to a group.', examples: [{ members: [BOB] }] },
);
export type AddMembersBody = Static<typeof AddMembersBody>;

export const ListConversationsQuery = Type.Object(
  {
    before: Type.Optional(described(PageCursor, 'Continue after this cursor (the `nextCursor` of the previous page); omit for the most recent')),
    limit: Type.Optional(PageLimit),
  },
  { additionalProperties: false },
);
export type ListConversationsQuery = Static<typeof ListConversationsQuery>;

export const ConversationPage = Type.Object(
  {
    items: Type.Array(Type.Ref(ConversationView), { description: 'The caller’s conversations, most recent activity first' }),
    nextCursor: Type.Union([PageCursor, Type.Null()], { description: 'Pass as `before` for the next page; null on the last page' }),
  },
  { $id: 'ConversationPage', description: 'One page of the caller’s conversations, most recent activity first.' },
);
export type ConversationPage = Static<typeof ConversationPage>;

export const MemberRemoved = Type.Object(
  {
    conversationId: described(ObjectIdString, 'The conversation'),
    userId: described(Uuid, 'The user who is no longer a member'),
  },
  { $id: 'MemberRemoved', description: 'A member was removed from a group, or left it.', examples: [{ conversationId: EXAMPLE_CONVERSATION_ID, userId: BOB }] },
);
export type MemberRemoved = Static<typeof MemberRemoved>;

export const MemberView = Type.Object(
  {
    userId: described(Uuid, 'The member'),
    nickname: described(Nickname, 'Name shown to other users'),
    avatarUrl: AvatarUrl,
    joinedAt: Type.Optional(described(IsoDateTime, 'When the member joined the conversation')),
    lastReadMessageId: Type.Union([ObjectIdString, Type.Null()], {
      description: "The member's read marker: the newest message they have read; null before their first read",
    }),
  },
  {
    $id: 'MemberView',
    description: 'A member of a conversation as the other members see them: name and how far they have read.',
    examples: [{ userId: BOB, nickname: 'Bob', avatarUrl: null, joinedAt: '2026-01-01T12:00:00.000Z', lastReadMessageId: '665f1c9eb3d4e5f6a7b8c9e1' }],
  },
);
export type MemberView = Static<typeof MemberView>;

export const MemberList = Type.Object(
  { items: Type.Array(Type.Ref(MemberView), { description: 'Every member, in the order they joined' }) },
  {
    $id: 'MemberList',
    description: "A conversation's members with their nicknames and read markers.",
    examples: [
      {
        items: [
          { userId: ADA, nickname: 'Ada Lovelace', avatarUrl: null, joinedAt: '2026-01-01T12:00:00.000Z', lastReadMessageId: null },
          { userId: BOB, nickname: 'Bob', avatarUrl: null, joinedAt: '2026-01-01T12:00:00.001Z', lastReadMessageId: '665f1c9eb3d4e5f6a7b8c9e1' },
        ],
      },
    ],
  },
);
export type MemberList = Static<typeof MemberList>;
