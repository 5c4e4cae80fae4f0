import { Type, type Static } from '@sinclair/typebox';
import { described, LineString, TextString } from './common.schema.js';
import { MessageView, ObjectIdString, PageCursor } from './messages.http.js';

const EXAMPLE_CONVERSATION_ID = '665f1c2ab3d4e5f6a7b8c9d0';
const EXAMPLE_MESSAGE_ID = '665f1c9eb3d4e5f6a7b8c9e1';

export const SEARCH_QUERY_MAX_LENGTH = 200;
/** A word shorter than this is ignored; a query without a longer one is refused (INVALID_SEARCH_QUERY). */
export const SEARCH_WORD_MIN_LENGTH = 2;

export const SearchMessagesQuery = Type.Object(
  {
    q: LineString({
      minLength: 1,
      maxLength: SEARCH_QUERY_MAX_LENGTH,
      description:
        'The words to find, separated by spaces, 1–200 characters. Every word must occur (AND); case and accents do not matter. Words of one character are ignored; at least one longer word is required (else `INVALID_SEARCH_QUERY`).',
      examples: ['lunch friday'],
    }),
    before: Type.Optional(described(PageCursor, 'Continue below this cursor (the `nextCursor` of the previous page); omit for the newest results')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20, description: 'Results per page, 1–50', examples: [20] })),
  },
  { additionalProperties: false },
);
export type SearchMessagesQuery = Static<typeof SearchMessagesQuery>;

export const SearchHighlight = Type.Object(
  {
    start: Type.Integer({ minimum: 0, description: 'Offset in `snippet.text` (UTF-16 code units)', examples: [6] }),
    end: Type.Integer({ minimum: 0, description: 'End offset (exclusive)', examples: [11] }),
  },
  { description: 'A part of the snippet that matched a word of the query.' },
);

export const SearchSnippet = Type.Object(
  {
    text: TextString({ maxLength: 400, description: 'A short part of the message around the first match (… where cut)', examples: ['Ready for lunch on Friday?'] }),
    highlights: Type.Array(SearchHighlight, { description: 'The matched words in `text`, in order; may be empty (e.g. a match by word stem)' }),
  },
  { description: 'What to show of a found message.' },
);
export type SearchSnippet = Static<typeof SearchSnippet>;

export const MessageSearchHit = Type.Object(
  {
    conversationId: described(ObjectIdString, 'The conversation the message is in'),
    message: Type.Ref(MessageView),
    snippet: SearchSnippet,
  },
  { $id: 'MessageSearchHit', description: 'A message that contains every word of the query.' },
);
export type MessageSearchHit = Static<typeof MessageSearchHit>;

export const MessageSearchPage = Type.Object(
  {
    items: Type.Array(Type.Ref(MessageSearchHit), { description: 'Found messages, newest first' }),
    nextCursor: Type.Union([PageCursor, Type.Null()], { description: 'Pass as `before` to search on in older messages; null when there is nothing older' }),
    complete: Type.Boolean({
      description:
        'false: the server searched only a bounded number of messages (servers without a text index), so older matches may exist below `nextCursor`; true: this page holds every match down to `nextCursor` (or to the oldest message)',
      examples: [true],
    }),
    scannedUpTo: Type.Union([ObjectIdString, Type.Null()], {
      description: 'When `complete` is false: the oldest message id this page looked at (results are from messages newer than it)',
    }),
  },
  {
    $id: 'MessageSearchPage',
    description:
      'One page of search results, newest first, only from conversations the caller is a member of and never deleted messages. Walking the pages with `nextCursor` never repeats a message.',
    examples: [
      {
        items: [
          {
            conversationId: EXAMPLE_CONVERSATION_ID,
            message: {
              id: EXAMPLE_MESSAGE_ID,
              conversationId: EXAMPLE_CONVERSATION_ID,
              senderId: '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90',
              clientMessageId: 'c0a8012e-5b1f-4c3a-9d2e-7f6a5b4c3d2e',
              body: 'Ready for lunch on Friday?',
              createdAt: '2026-01-01T12:00:00.000Z',
              editedAt: null,
              deletedAt: null,
              seq: 42,
              reactions: [],
              attachments: [],
              replyTo: null,
              mentions: [],
            },
            snippet: { text: 'Ready for lunch on Friday?', highlights: [{ start: 10, end: 15 }, { start: 19, end: 25 }] },
          },
        ],
        nextCursor: null,
        complete: true,
        scannedUpTo: null,
      },
    ],
  },
);
export type MessageSearchPage = Static<typeof MessageSearchPage>;
