import { Type, type Static } from '@sinclair/typebox';
import { described, Email, IsoDateTime, LanguageTag, LineString, Nickname, Uuid } from './common.schema.js';
import { ClientDeviceId, DeviceName } from './devices.http.js';

const EXAMPLE_ID = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';
const EXAMPLE_STATUS_URL = `/v1/registrations/${EXAMPLE_ID}`;

export const RegistrationStatus = Type.Union(
  [
    Type.Literal('pending'),
    Type.Literal('awaiting-code'),
    Type.Literal('verifying'),
    Type.Literal('completed'),
    Type.Literal('expired'),
    Type.Literal('locked'),
    Type.Literal('failed'),
  ],
  {
    $id: 'RegistrationStatus',
    description: [
      'Where the registration stands:',
      '`pending` (a code is being mailed), `awaiting-code` (the mail went out; submit its code),',
      '`verifying` (a submitted code is being checked), `completed` (the account exists),',
      '`expired` (the code expired unused; start again), `locked` (too many wrong codes; start again),',
      '`failed` (the registration could not be completed, see `reason`; start again).',
    ].join(' '),
  },
);
export type RegistrationStatus = Static<typeof RegistrationStatus>;

export const CreateRegistrationBody = Type.Object(
  {
    email: described(Email, 'Address to confirm: the verification code is mailed there'),
    password: LineString({
      minLength: 10,
      maxLength: 256,
      description: 'Password of the new account, 10–256 characters; only its argon2id hash is kept',
      examples: ['correct horse battery staple'],
    }),
    nickname: described(Nickname, `Name shown to other users. ${Nickname.description}`),
    preferredLanguage: described(LanguageTag, `Language of the mails and of the account. ${LanguageTag.description}`),
  },
  {
    $id: 'CreateRegistrationBody',
    additionalProperties: false,
    description: 'A new account, created once the e-mail address is confirmed with the mailed code.',
    examples: [{ email: 'ada@example.org', password: 'correct horse battery staple', nickname: 'Ada Lovelace', preferredLanguage: 'en' }],
  },
);
export type CreateRegistrationBody = Static<typeof CreateRegistrationBody>;

export const RegistrationParams = Type.Object(
  { id: described(Uuid, 'The `registrationId` that POST /v1/registrations answered with (lower-case UUID)') },
  { additionalProperties: false },
);
export type RegistrationParams = Static<typeof RegistrationParams>;

const registrationId = described(Uuid, 'Identifies the registration (lower-case UUID)');
const statusUrl = LineString({ description: 'Where to poll the registration (relative URL)', examples: [EXAMPLE_STATUS_URL] });

export const RegistrationAccepted = Type.Object(
  { registrationId, status: RegistrationStatus, statusUrl },
  {
    $id: 'RegistrationAccepted',
    description: 'The registration was started: a code is on its way to the address. The same answer whether or not the address already has an account.',
    examples: [{ registrationId: EXAMPLE_ID, status: 'pending', statusUrl: EXAMPLE_STATUS_URL }],
  },
);
export type RegistrationAccepted = Static<typeof RegistrationAccepted>;

/** Why a `failed` registration failed. */
export const RegistrationFailureReason = Type.Union(
  [Type.Literal('verifier-failed'), Type.Literal('verifier-timeout'), Type.Literal('email-taken')],
  {
    $id: 'RegistrationFailureReason',
    description:
      'Why a `failed` registration failed: `verifier-failed` (the code could not be mailed), `verifier-timeout` (the mail service did not answer in time), `email-taken` (another registration created an account for the address first).',
  },
);
export type RegistrationFailureReason = Static<typeof RegistrationFailureReason>;

/** The last recoverable problem while the registration waits for a code. */
export const RegistrationLastError = Type.Union([Type.Literal('invalid-code'), Type.Literal('verifier-timeout')], {
  $id: 'RegistrationLastError',
  description:
    'The last recoverable problem while the registration waits for a code: `invalid-code` (the submitted code was wrong), `verifier-timeout` (the code could not be checked in time; submit it again).',
});
export type RegistrationLastError = Static<typeof RegistrationLastError>;

export const RegistrationView = Type.Object(
  {
    registrationId,
    status: RegistrationStatus,
    attemptsLeft: Type.Integer({ minimum: 0, description: 'Wrong codes that may still be submitted before the registration locks', examples: [5] }),
    expiresAt: Type.Union([IsoDateTime, Type.Null()], {
      description: 'When the current code, and with it the registration, expires unless confirmed; null before the first code is sent and once the registration is over',
    }),
    resendAvailableAt: Type.Union([IsoDateTime, Type.Null()], {
      description: 'From when another code may be requested; null when no further code can be requested',
    }),
    statusUrl,
    /** Further codes that may still be requested (added later; optional for older clients). */
    resendsLeft: Type.Optional(Type.Integer({ minimum: 0, description: 'Further codes that may still be requested', examples: [3] })),
    /** Set when `status` is `failed`. */
    reason: Type.Optional(Type.Union([RegistrationFailureReason, Type.Null()], { description: 'Set when `status` is `failed`' })),
    /** Set while awaiting the code after a wrong code or a verifier timeout. */
    lastError: Type.Optional(
      Type.Union([RegistrationLastError, Type.Null()], { description: 'Set while awaiting the code after a wrong code or a verifier timeout' }),
    ),
  },
  {
    $id: 'RegistrationView',
    description: 'A registration as its client sees it (nothing internal: no e-mail, no password hash).',
    examples: [
      {
        registrationId: EXAMPLE_ID,
        status: 'awaiting-code',
        attemptsLeft: 5,
        expiresAt: '2026-01-01T12:10:00.000Z',
        resendAvailableAt: '2026-01-01T12:01:00.000Z',
        statusUrl: EXAMPLE_STATUS_URL,
        resendsLeft: 3,
        reason: null,
        lastError: null,
      },
    ],
  },
);
export type RegistrationView = Static<typeof RegistrationView>;

export const VerifyRegistrationBody = Type.Object(
  {
    code: Type.String({ pattern: '^[0-9]{6}$', description: 'The six-digit code from the mail', examples: ['042917'] }),
    deviceId: Type.Optional(described(ClientDeviceId, 'The device completing the registration: it becomes trusted, so signing in from it needs no mailed code')),
    deviceName: Type.Optional(DeviceName),
  },
  { $id: 'VerifyRegistrationBody', additionalProperties: false, description: 'A code to confirm the e-mail address with.' },
);
export type VerifyRegistrationBody = Static<typeof VerifyRegistrationBody>;
