import { Type, type Static } from '@sinclair/typebox';
import { described, IsoDateTime, Nickname, Uuid } from './common.schema.js';
import { ObjectIdString } from './messages.http.js';

const EXAMPLE_CONVERSATION_ID = '665f1c2ab3d4e5f6a7b8c9d0';
const BOB = '9a1d4e7c-2b3f-4a5e-8c6d-1e2f3a4b5c6d';

export const MuteParams = Type.Object(
  { conversationId: described(ObjectIdString, 'The conversation (the caller must be a member)') },
  { additionalProperties: false },
);
export type MuteParams = Static<typeof MuteParams>;

export const MuteBody = Type.Object(
  {
    until: Type.Union([IsoDateTime, Type.Null()], {
      description: 'When the mute ends (must be in the future); null mutes until the caller unmutes',
      examples: ['2026-01-01T13:00:00.000Z', null],
    }),
  },
  {
    $id: 'MuteBody',
    additionalProperties: false,
    description: 'Mute a conversation until a time, or for good. Muting again replaces the end.',
    examples: [{ until: '2026-01-01T13:00:00.000Z' }, { until: null }],
  },
);
export type MuteBody = Static<typeof MuteBody>;

export const MuteView = Type.Object(
  {
    conversationId: described(ObjectIdString, 'The muted conversation'),
    until: Type.Union([IsoDateTime, Type.Null()], { description: 'When the mute ends; null: until unmuted' }),
    mutedAt: described(IsoDateTime, 'When the mute was set (or last changed)'),
  },
  {
    $id: 'MuteView',
    description: 'A conversation the caller muted: no missed-message mail and no mention alert from it; unread messages are still counted.',
    examples: [{ conversationId: EXAMPLE_CONVERSATION_ID, until: null, mutedAt: '2026-01-01T12:00:00.000Z' }],
  },
);
export type MuteView = Static<typeof MuteView>;

export const MuteList = Type.Object(
  { items: Type.Array(Type.Ref(MuteView), { description: 'The mutes in force, most recently set first (ended ones are left out)' }) },
  {
    $id: 'MuteList',
    description: 'The caller’s muted conversations.',
    examples: [{ items: [{ conversationId: EXAMPLE_CONVERSATION_ID, until: null, mutedAt: '2026-01-01T12:00:00.000Z' }] }],
  },
);
export type MuteList = Static<typeof MuteList>;

export const MuteRemoved = Type.Object(
  { conversationId: described(ObjectIdString, 'The conversation'), muted: Type.Literal(false, { description: 'Always false: the conversation is not muted' }) },
  {
    $id: 'MuteRemoved',
    description: 'The conversation is not muted (also when it was not muted before).',
    examples: [{ conversationId: EXAMPLE_CONVERSATION_ID, muted: false }],
  },
);
export type MuteRemoved = Static<typeof MuteRemoved>;

export const BlockParams = Type.Object({ userId: described(Uuid, 'The user to block or unblock') }, { additionalProperties: false });
export type BlockParams = Static<typeof BlockParams>;

export const BlockView = Type.Object(
  {
    userId: described(Uuid, 'The blocked user'),
    nickname: Type.Union([Nickname, Type.Null()], { description: 'Their nickname; null once their account is gone' }),
    blockedAt: described(IsoDateTime, 'When the caller blocked them'),
  },
  {
    $id: 'BlockView',
    description:
      'A user the caller blocked: neither can start a direct conversation with the other or send into their direct conversation, and neither sees the other’s presence or typing. Groups are unaffected.',
    examples: [{ userId: BOB, nickname: 'Bob', blockedAt: '2026-01-01T12:00:00.000Z' }],
  },
);
export type BlockView = Static<typeof BlockView>;

export const BlockList = Type.Object(
  { items: Type.Array(Type.Ref(BlockView), { description: 'The users the caller blocked, most recent first' }) },
  {
    $id: 'BlockList',
    description: 'The users the caller blocked (not those who blocked the caller: that stays hidden).',
    examples: [{ items: [{ userId: BOB, nickname: 'Bob', blockedAt: '2026-01-01T12:00:00.000Z' }] }],
  },
);
export type BlockList = Static<typeof BlockList>;

export const BlockRemoved = Type.Object(
  { userId: described(Uuid, 'The user'), blocked: Type.Literal(false, { description: 'Always false: the user is not blocked by the caller' }) },
  {
    $id: 'BlockRemoved',
    description: 'The caller no longer blocks the user (also when they were not blocked before).',
    examples: [{ userId: BOB, blocked: false }],
  },
);
export type BlockRemoved = Static<typeof BlockRemoved>;
