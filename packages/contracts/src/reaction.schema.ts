import { FormatRegistry, Type, type Static } from '@sinclair/typebox';

/**
 * A reaction is one emoji: exactly one grapheme that is a recommended (RGI) emoji sequence, so
 * 👍, 👍🏽, 🇩🇪 and 👩‍💻 pass while "ok", "👍👍", a bare skin tone or a stray joiner do not.
 * `\p{RGI_Emoji}` needs the `v` flag, which TypeBox and Ajv patterns cannot carry: hence a format
 * of its own (registered here for TypeBox, AJV_EMOJI_FORMAT for Fastify's Ajv), not a pattern.
 */
export const EMOJI_FORMAT = 'emoji';

// Built at run time: the `v` flag is newer than some tooling's regex parsers.
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Whether `value` is one emoji grapheme (the check behind the `emoji` format). */
export function isSingleEmoji(value: string): boolean {
  if (value.length === 0 || value.length > 32) return false;
  const first = graphemes.segment(value)[Symbol.iterator]().next();
  if (first.done || first.value.segment !== value) return false;
  return RGI_EMOJI.test(value);
}

/** For Fastify's Ajv, beside the text formats. */
export const AJV_EMOJI_FORMAT = { [EMOJI_FORMAT]: { type: 'string' as const, validate: isSingleEmoji } };

// TypeBox's registry is global to the process: every TypeCompiler and Value check sees it.
FormatRegistry.Set(EMOJI_FORMAT, isSingleEmoji);

/** At most this many different emojis on one message (REACTION_LIMIT_REACHED beyond). */
export const MAX_REACTION_EMOJIS = 20;

export const ReactionEmoji = Type.String({
  format: EMOJI_FORMAT,
  minLength: 1,
  maxLength: 32,
  description: 'One emoji (a single grapheme, RGI emoji sequences incl. skin tones, flags and ZWJ sequences); URL-encoded in paths',
  examples: ['👍'],
});

export const MessageReaction = Type.Object(
  {
    emoji: ReactionEmoji,
    count: Type.Integer({ minimum: 1, description: 'How many members reacted with it', examples: [2] }),
    me: Type.Boolean({ description: 'Whether the caller is one of them' }),
  },
  { description: 'One emoji on a message: how many reacted with it and whether the caller did.' },
);
export type MessageReaction = Static<typeof MessageReaction>;
