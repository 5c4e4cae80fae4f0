import { Type, type Static } from '@sinclair/typebox';
import { AvatarUrlString } from './files.http.js';
import { described, Email, IsoDateTime, LanguageTag, LineString, Nickname, TextString, Uuid } from './common.schema.js';

const EXAMPLE_ID = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';
const EXAMPLE_CURSOR = 'eyJuIjoiYWRhIGxvdmVsYWNlIiwiaSI6IjNmMmI4YzFlIn0';

export const Description = TextString({
  maxLength: 500,
  description: 'Free text about the user, at most 500 characters; empty when not set',
  examples: ['Analyst, writes notes on engines.'],
});

/** Where a user's avatar is served (files/), null without one. */
export const AvatarUrl = Type.Union([AvatarUrlString, Type.Null()], { description: 'Where the avatar is served (GET, signed in; the URL changes with the picture); null when none', examples: [null] });

export const MeView = Type.Object(
  {
    id: described(Uuid, 'Identifies the user'),
    email: described(Email, 'Address of the account (only ever shown to its owner)'),
    nickname: described(Nickname, 'Name shown to other users'),
    preferredLanguage: described(LanguageTag, 'Language of the mails and of the account'),
    description: Description,
    createdAt: described(IsoDateTime, 'When the account was created'),
    digestEmails: Type.Boolean({ description: 'Whether a mail about missed messages is sent after a while offline (default true)', examples: [true] }),
    autoTranslate: Type.Boolean({ description: 'Whether others’ messages in another language are machine-translated into `preferredLanguage` (default true)', examples: [true] }),
    avatarUrl: AvatarUrl,
  },
  {
    $id: 'MeView',
    description: 'The signed-in user’s own account.',
    examples: [
      {
        id: EXAMPLE_ID,
        email: 'ada@example.org',
        nickname: 'Ada Lovelace',
        preferredLanguage: 'en',
        description: 'Analyst, writes notes on engines.',
        createdAt: '2026-01-01T12:00:00.000Z',
        digestEmails: true,
        autoTranslate: true,
        avatarUrl: null,
      },
    ],
  },
);
export type MeView = Static<typeof MeView>;

export const UpdateMeBody = Type.Object(
  {
    nickname: Type.Optional(described(Nickname, `New display name. ${Nickname.description}`)),
    preferredLanguage: Type.Optional(described(LanguageTag, `New language. ${LanguageTag.description}`)),
    description: Type.Optional(Description),
    digestEmails: Type.Optional(Type.Boolean({ description: 'false: no missed-message mails', examples: [false] })),
    autoTranslate: Type.Optional(Type.Boolean({ description: 'false: always show messages as written, never translated', examples: [false] })),
  },
  {
    $id: 'UpdateMeBody',
    additionalProperties: false,
    minProperties: 1,
    description: 'The fields to change (at least one); fields left out keep their value.',
    examples: [{ nickname: 'Countess Lovelace' }, { preferredLanguage: 'de', description: '' }],
  },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const UserSearchQuery = Type.Object(
  {
    query: LineString({
      minLength: 1,
      maxLength: 32,
      description: 'Start of the nickname (case-insensitive)',
      examples: ['ada'],
    }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20, description: 'Users per page (1–50)', examples: [20] })),
    cursor: Type.Optional(
      LineString({ minLength: 1, maxLength: 512, description: 'The `nextCursor` of the previous page', examples: [EXAMPLE_CURSOR] }),
    ),
  },
  { additionalProperties: false },
);
export type UserSearchQuery = Static<typeof UserSearchQuery>;

export const UserSummary = Type.Object(
  { id: described(Uuid, 'Identifies the user'), nickname: described(Nickname, 'Name shown to other users'), avatarUrl: AvatarUrl },
  { description: 'Another user as everyone may see them (never their e-mail address).', examples: [{ id: EXAMPLE_ID, nickname: 'Ada Lovelace', avatarUrl: null }] },
);
export type UserSummary = Static<typeof UserSummary>;

export const UserSearchPage = Type.Object(
  {
    items: Type.Array(UserSummary, { description: 'Matching users, ordered by nickname' }),
    nextCursor: Type.Union([LineString(), Type.Null()], { description: 'Pass as `cursor` for the next page; null on the last page' }),
  },
  {
    $id: 'UserSearchPage',
    description: 'One page of users whose nickname starts with the query.',
    examples: [{ items: [{ id: EXAMPLE_ID, nickname: 'Ada Lovelace', avatarUrl: null }], nextCursor: null }],
  },
);
export type UserSearchPage = Static<typeof UserSearchPage>;
