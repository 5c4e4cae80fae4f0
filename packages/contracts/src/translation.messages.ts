import { Type, type Static } from '@sinclair/typebox';
import { described, LineString, TextString, TranslationLanguage } from './common.schema.js';
import { ObjectIdString } from './messages.http.js';

/**
 * Queue messages of machine translation (backend ↔ translator, request/reply). Languages are the
 * primary subtag of a BCP 47 tag, lower case (`en`, `es`, `fr`): the reader's `pt-BR` asks for `pt`.
 */

const EXAMPLE_MESSAGE = '665f1c9eb3d4e5f6a7b8c9e1';

/** The most text one request carries (a message body is at most 4000 characters; other senders may send more). */
export const TRANSLATION_TEXT_MAX = 12_000;

/** Why a translation could not be made; `no-path`: the engine has no pair and no pivot between the two languages. */
export const UntranslatedReason = Type.Union(
  [Type.Literal('no-path'), Type.Literal('engine-refused'), Type.Literal('too-long')],
  { description: '`no-path`: no pair and no pivot between the languages; `engine-refused`: the engine answered the text with an error; `too-long`: over the engine’s limit' },
);
export type UntranslatedReason = Static<typeof UntranslatedReason>;

const RequestId = LineString({
  minLength: 1,
  maxLength: 64,
  pattern: '^[0-9a-f]{24}:[0-9]{1,9}$',
  description: '`<messageId>:<version>`: a redelivered or re-published request keeps it; it is also the correlationId',
  examples: [`${EXAMPLE_MESSAGE}:0`],
});

/**
 * Backend → translator on TRANSLATION_QUEUE: translate one message's text into every language its
 * readers need. `version` counts the message's edits, so a reply for an older text is ignored.
 */
export const TranslationRequest = Type.Object(
  {
    requestId: RequestId,
    messageId: described(ObjectIdString, 'The message'),
    version: Type.Integer({ minimum: 0, maximum: 999_999_999, description: 'Edits of the message before this text (0 = as sent)', examples: [0] }),
    source: described(TranslationLanguage, 'The language of the text'),
    targets: Type.Array(TranslationLanguage, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'The languages wanted (never `source`)' }),
    text: TextString({ minLength: 1, maxLength: TRANSLATION_TEXT_MAX, description: 'The text to translate' }),
  },
  {
    $id: 'TranslationRequest',
    additionalProperties: false,
    description: 'Translate this text into these languages.',
    examples: [
      { requestId: `${EXAMPLE_MESSAGE}:0`, messageId: EXAMPLE_MESSAGE, version: 0, source: 'en', targets: ['es', 'fr'], text: 'Good morning, see you at the station tomorrow' },
    ],
  },
);
export type TranslationRequest = Static<typeof TranslationRequest>;

export const TranslationResult = Type.Union(
  [
    Type.Object(
      {
        target: TranslationLanguage,
        status: Type.Literal('translated'),
        text: TextString({ maxLength: TRANSLATION_TEXT_MAX * 4, description: 'The translation' }),
        via: Type.Array(TranslationLanguage, { maxItems: 3, description: 'Pivot languages it went through, in order (empty: a direct pair)' }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { target: TranslationLanguage, status: Type.Literal('untranslated'), reason: UntranslatedReason },
      { additionalProperties: false },
    ),
  ],
  { $id: 'TranslationResult', description: 'One language of a reply: the translation, or why there is none.' },
);
export type TranslationResult = Static<typeof TranslationResult>;

/** Translator → backend on TRANSLATION_REPLY_QUEUE: one result per requested target. */
export const TranslationReply = Type.Object(
  {
    requestId: RequestId,
    messageId: described(ObjectIdString, 'The message'),
    version: Type.Integer({ minimum: 0, maximum: 999_999_999, description: 'The `version` of the request' }),
    source: described(TranslationLanguage, 'The language of the text'),
    results: Type.Array(TranslationResult, { minItems: 1, maxItems: 20, description: 'One per requested target' }),
  },
  {
    $id: 'TranslationReply',
    additionalProperties: false,
    description: 'The translations of one request.',
    examples: [
      {
        requestId: `${EXAMPLE_MESSAGE}:0`,
        messageId: EXAMPLE_MESSAGE,
        version: 0,
        source: 'en',
        results: [
          { target: 'es', status: 'translated', text: 'Buenos días, te veo mañana en la estación', via: [] },
          { target: 'fr', status: 'translated', text: 'Bonjour, je te vois demain à la gare', via: ['es'] },
        ],
      },
    ],
  },
);
export type TranslationReply = Static<typeof TranslationReply>;
