import { Type, type Static } from '@sinclair/typebox';
import { described } from './common.schema.js';
import { ObjectIdString } from './messages.http.js';
import { ReactionEmoji } from './reaction.schema.js';

export * from './reaction.schema.js';

/** `PUT` / `DELETE /v1/conversations/{id}/messages/{messageId}/reactions/{emoji}`. */
export const ReactionParams = Type.Object(
  {
    id: described(ObjectIdString, 'The conversation'),
    messageId: described(ObjectIdString, 'The message'),
    emoji: described(ReactionEmoji, 'The emoji, URL-encoded (👍 is %F0%9F%91%8D); not one emoji answers INVALID_EMOJI'),
  },
  { $id: 'ReactionParams', additionalProperties: false, description: 'One emoji of the caller on one message.' },
);
export type ReactionParams = Static<typeof ReactionParams>;

export const ReactionState = Type.Object(
  {
    emoji: ReactionEmoji,
    count: Type.Integer({ minimum: 1, description: 'How many members react with it now, the caller included', examples: [2] }),
    me: Type.Literal(true, { description: 'The caller reacts with it' }),
  },
  {
    $id: 'ReactionState',
    description: 'The answer to a PUT: the emoji on the message after the caller’s reaction (the same on a repeat).',
    examples: [{ emoji: '👍', count: 2, me: true }],
  },
);
export type ReactionState = Static<typeof ReactionState>;
