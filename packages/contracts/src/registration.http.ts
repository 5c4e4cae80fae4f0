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

export const RegistrationView = Type.Object(
  {
    registrationId: Uuid,
    status: RegistrationStatus,
    attemptsLeft: Type.Integer({ minimum: 0 }),
    expiresAt: Type.Union([IsoDateTime, Type.Null()]),
    resendAvailableAt: Type.Union([IsoDateTime, Type.Null()]),
    statusUrl: Type.String(),
  },
  { $id: 'RegistrationView' },
);
export type RegistrationView = Static<typeof RegistrationView>;

export const VerifyRegistrationBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { $id: 'VerifyRegistrationBody', additionalProperties: false },
);
export type VerifyRegistrationBody = Static<typeof VerifyRegistrationBody>;
