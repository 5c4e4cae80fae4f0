import { Type, type Static } from '@sinclair/typebox';
import { described, Email, EpochMs, LanguageTag, LineString, Nickname, TextString, Uuid } from './common.schema.js';

/**
 * Queue messages of the account-lifecycle sagas (password reset, device challenge, account
 * deletion). Same conventions as the registration's (verification.messages.ts): request/reply with
 * `replyTo` + `correlationId = <sagaId>:<requestId>`, codes only as keyed digests, never a password.
 */

/** Chosen by the saga (`r1`, `r2`…): identifies a request within its saga. */
const SagaRequestId = LineString({ minLength: 1, maxLength: 64 });
const flowId = described(Uuid, 'The saga the code belongs to (a password reset or a device challenge)');

/**
 * Backend → verifier on PASSWORD_RESET_CODE_QUEUE. Issues a fresh reset code; any earlier one for
 * this reset stops being valid. `accountExists: false` (nobody has the address): the verifier keeps
 * an unguessable pending entry and mails nothing, so the reset behaves like any other from outside.
 */
export const PasswordResetCodeRequest = Type.Object(
  {
    resetId: Uuid,
    requestId: SagaRequestId,
    email: Email,
    /** The account's nickname for the greeting; absent when there is no account. */
    nickname: Type.Optional(Nickname),
    preferredLanguage: LanguageTag,
    accountExists: Type.Boolean(),
    /** When the code stops being valid. The verifier's Redis TTL ends here. */
    expiresAt: EpochMs,
  },
  { $id: 'PasswordResetCodeRequest', additionalProperties: false },
);
export type PasswordResetCodeRequest = Static<typeof PasswordResetCodeRequest>;

/**
 * Backend → verifier on DEVICE_CODE_QUEUE. Mails a sign-in code for a device the account has not
 * verified, saying which device asked and when, with a "this was not me" link (its token is derived
 * by the verifier: challengeDenialToken).
 */
export const DeviceCodeRequest = Type.Object(
  {
    challengeId: Uuid,
    requestId: SagaRequestId,
    email: Email,
    nickname: Nickname,
    preferredLanguage: LanguageTag,
    /** The name the client gave the device, if any. */
    deviceName: Type.Union([LineString({ minLength: 1, maxLength: 100 }), Type.Null()]),
    /** When the sign-in was attempted. */
    requestedAt: EpochMs,
    expiresAt: EpochMs,
  },
  { $id: 'DeviceCodeRequest', additionalProperties: false },
);
export type DeviceCodeRequest = Static<typeof DeviceCodeRequest>;

/** Verifier → saga: whether the code mail (PASSWORD_RESET_CODE_QUEUE, DEVICE_CODE_QUEUE) went out. */
export const CodeMailReply = Type.Object(
  {
    flowId,
    requestId: SagaRequestId,
    outcome: Type.Union([Type.Literal('code-sent'), Type.Literal('failed')]),
    /** Why it failed, for logs and the saga; never contains the code. */
    reason: Type.Optional(TextString({ maxLength: 500 })),
  },
  { $id: 'CodeMailReply', additionalProperties: false },
);
export type CodeMailReply = Static<typeof CodeMailReply>;

/**
 * Backend → verifier on CONFIRM_CODE_QUEUE: checks a submitted code of a password reset or a
 * device challenge. `codeDigest` = codeDigest(VERIFICATION_CODE_SECRET, flowId, code).
 */
export const ConfirmCodeRequest = Type.Object(
  {
    flowId,
    requestId: SagaRequestId,
    codeDigest: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  },
  { $id: 'ConfirmCodeRequest', additionalProperties: false },
);
export type ConfirmCodeRequest = Static<typeof ConfirmCodeRequest>;

export const ConfirmCodeReply = Type.Object(
  {
    flowId,
    requestId: SagaRequestId,
    outcome: Type.Union([Type.Literal('confirmed'), Type.Literal('invalid'), Type.Literal('locked'), Type.Literal('expired')]),
    attemptsLeft: Type.Integer({ minimum: 0 }),
  },
  { $id: 'ConfirmCodeReply', additionalProperties: false },
);
export type ConfirmCodeReply = Static<typeof ConfirmCodeReply>;

/** Everything that may arrive on PASSWORD_RESET_REPLY_QUEUE. */
export const PasswordResetReply = Type.Union([CodeMailReply, ConfirmCodeReply], { $id: 'PasswordResetReply' });
/** Everything that may arrive on DEVICE_CHALLENGE_REPLY_QUEUE (the same replies, on the device saga's own queue). */
export const DeviceChallengeReply = Type.Union([CodeMailReply, ConfirmCodeReply], { $id: 'DeviceChallengeReply' });
/** A reply to either code flow. */
export type CodeFlowReply = Static<typeof PasswordResetReply>;

export const AccountNoticeKind = Type.Union([Type.Literal('password-changed'), Type.Literal('account-deleted')], {
  description: '`password-changed` (by a reset or by the signed-in user; every other session ended), `account-deleted` (the deletion finished)',
});
export type AccountNoticeKind = Static<typeof AccountNoticeKind>;

/**
 * Backend → verifier on ACCOUNT_NOTICE_QUEUE, one way (no reply): mail a notice to the account's
 * address. Delivered at least once; the verifier mails each `noticeId` once.
 */
export const AccountNotice = Type.Object(
  {
    noticeId: LineString({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9:_-]+$' }),
    kind: AccountNoticeKind,
    email: Email,
    nickname: Nickname,
    preferredLanguage: LanguageTag,
    /** When it happened. */
    at: EpochMs,
  },
  { $id: 'AccountNotice', additionalProperties: false },
);
export type AccountNotice = Static<typeof AccountNotice>;
