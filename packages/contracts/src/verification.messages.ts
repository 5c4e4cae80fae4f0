import { Type, type Static } from '@sinclair/typebox';
import { Email, EpochMs, LanguageTag, LineString, Nickname, TextString, Uuid } from './common.schema.js';

/** Chosen by the saga (`r1`, `r2`…): identifies a request within its registration. */
const SagaRequestId = LineString({ minLength: 1, maxLength: 64 });

/**
 * Backend → verifier on ACCOUNT_CREATION_QUEUE (replyTo + correlationId set by the saga).
 * Issues a fresh code for the registration; any earlier code for it stops being valid.
 * `accountExists` asks for the "you already have an account" mail instead; the verifier still
 * keeps an (unguessable) pending entry so the flow looks the same from outside.
 */
export const AccountCreationRequest = Type.Object(
  {
    registrationId: Uuid,
    /** Identifies this request within the saga; repeated deliveries carry the same id. */
    requestId: SagaRequestId,
    email: Email,
    nickname: Nickname,
    preferredLanguage: LanguageTag,
    accountExists: Type.Boolean(),
    /** When the code stops being valid. The verifier's Redis TTL ends here. */
    expiresAt: EpochMs,
  },
  { $id: 'AccountCreationRequest', additionalProperties: false },
);
export type AccountCreationRequest = Static<typeof AccountCreationRequest>;

export const AccountCreationReply = Type.Object(
  {
    registrationId: Uuid,
    requestId: SagaRequestId,
    outcome: Type.Union([Type.Literal('code-sent'), Type.Literal('failed')]),
    /** Why it failed, for logs and the saga; never contains the code. */
    reason: Type.Optional(TextString({ maxLength: 500 })),
  },
  { $id: 'AccountCreationReply', additionalProperties: false },
);
export type AccountCreationReply = Static<typeof AccountCreationReply>;

/**
 * Backend → verifier on CONFIRM_EMAIL_CODE_QUEUE. The code never travels in clear: `codeDigest` is
 * HMAC-SHA256(VERIFICATION_CODE_SECRET, registrationId + ':' + code), hex — see `codeDigest()`.
 */
export const ConfirmEmailCodeRequest = Type.Object(
  {
    registrationId: Uuid,
    requestId: SagaRequestId,
    codeDigest: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { $id: 'ConfirmEmailCodeRequest', additionalProperties: false },
);
export type ConfirmEmailCodeRequest = Static<typeof ConfirmEmailCodeRequest>;

export const ConfirmEmailCodeReply = Type.Object(
  {
    registrationId: Uuid,
    requestId: SagaRequestId,
    outcome: Type.Union([
      Type.Literal('confirmed'),
      Type.Literal('invalid'),
      Type.Literal('locked'),
      Type.Literal('expired'),
    ]),
    attemptsLeft: Type.Integer({ minimum: 0 }),
  },
  { $id: 'ConfirmEmailCodeReply', additionalProperties: false },
);
export type ConfirmEmailCodeReply = Static<typeof ConfirmEmailCodeReply>;

/** Everything that may arrive on REGISTRATION_REPLY_QUEUE. */
export const RegistrationReply = Type.Union([AccountCreationReply, ConfirmEmailCodeReply], {
  $id: 'RegistrationReply',
});
export type RegistrationReply = Static<typeof RegistrationReply>;

/** Wrong codes allowed before a registration locks. */
export const MAX_CODE_ATTEMPTS = 5;
