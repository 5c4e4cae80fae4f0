import { Type, type Static } from '@sinclair/typebox';
import { Email, IsoDateTime, LanguageTag, Nickname, Uuid } from './common.schema.js';

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
  { $id: 'RegistrationStatus' },
);
export type RegistrationStatus = Static<typeof RegistrationStatus>;

export const CreateRegistrationBody = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 10, maxLength: 256 }),
    nickname: Nickname,
    preferredLanguage: LanguageTag,
  },
  { $id: 'CreateRegistrationBody', additionalProperties: false },
);
export type CreateRegistrationBody = Static<typeof CreateRegistrationBody>;

export const RegistrationParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export type RegistrationParams = Static<typeof RegistrationParams>;

export const RegistrationAccepted = Type.Object(
  { registrationId: Uuid, status: RegistrationStatus, statusUrl: Type.String() },
  { $id: 'RegistrationAccepted' },
);
export type RegistrationAccepted = Static<typeof RegistrationAccepted>;

/** Why a `failed` registration failed. */
export const RegistrationFailureReason = Type.Union(
  [Type.Literal('verifier-failed'), Type.Literal('verifier-timeout'), Type.Literal('email-taken')],
  { $id: 'RegistrationFailureReason' },
);
export type RegistrationFailureReason = Static<typeof RegistrationFailureReason>;

/** The last recoverable problem while the registration waits for a code. */
export const RegistrationLastError = Type.Union([Type.Literal('invalid-code'), Type.Literal('verifier-timeout')], {
  $id: 'RegistrationLastError',
});
export type RegistrationLastError = Static<typeof RegistrationLastError>;

export const RegistrationView = Type.Object(
  {
    registrationId: Uuid,
    status: RegistrationStatus,
    attemptsLeft: Type.Integer({ minimum: 0 }),
    expiresAt: Type.Union([IsoDateTime, Type.Null()]),
    resendAvailableAt: Type.Union([IsoDateTime, Type.Null()]),
    statusUrl: Type.String(),
    /** Further codes that may still be requested (added later; optional for older clients). */
    resendsLeft: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Set when `status` is `failed`. */
    reason: Type.Optional(Type.Union([RegistrationFailureReason, Type.Null()])),
    /** Set while awaiting the code after a wrong code or a verifier timeout. */
    lastError: Type.Optional(Type.Union([RegistrationLastError, Type.Null()])),
  },
  { $id: 'RegistrationView' },
);
export type RegistrationView = Static<typeof RegistrationView>;

export const VerifyRegistrationBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { $id: 'VerifyRegistrationBody', additionalProperties: false },
);
export type VerifyRegistrationBody = Static<typeof VerifyRegistrationBody>;
