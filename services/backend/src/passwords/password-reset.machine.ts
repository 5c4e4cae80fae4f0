/**
 * The password-reset saga as a PURE state machine (the registration machine's pattern): no I/O, no
 * clocks, no randomness. `saga.send` → queue, `saga.effect` → setPassword, time comes in on every
 * event as `at`, timeouts are token-checked timers kept in context. The generated docs and the
 * model-based tests read this definition; `description`s are what the docs print.
 */
import {
  ACCOUNT_NOTICE_QUEUE,
  CONFIRM_CODE_QUEUE,
  MAX_CODE_ATTEMPTS,
  PASSWORD_RESET_CODE_QUEUE,
  type AccountNotice,
  type ConfirmCodeRequest,
  type PasswordResetCodeRequest,
} from '@ashchat/contracts';
import { nextSeq, sagaActions, sagaGuards, type SagaTimeoutEvent } from '@ashchat/saga';
import { assign, setup } from 'xstate';
import {
  canResend,
  codeConfirmedPatch,
  codeInvalidPatch,
  codeSentPatch,
  freshCodeRequest,
  isPendingReply,
  newCodeRequestedPatch,
  verificationStartedPatch,
  verifierTimedOutPatch,
  type CodeFlowContext,
  type CodeFlowLastError,
  type CodeFlowReplyEvent,
} from '../sagas/code-flow.kit.js';

/** Bump when a change makes persisted reset snapshots unreadable (then add a migration). */
export const PASSWORD_RESET_MACHINE_VERSION = 1;
export const PASSWORD_RESET_TIMERS = ['request', 'expiry'] as const;
export const SET_PASSWORD_EFFECT = 'setPassword';

export interface PasswordResetInput {
  resetId: string;
  email: string;
  emailNormalized: string;
  /** The account's id, nickname and language; null (and `en`) when the address has no account. */
  userId: string | null;
  nickname: string | null;
  preferredLanguage: string;
  accountExists: boolean;
  codeTtlMs: number;
  resendCooldownMs: number;
  maxResends: number;
  requestTimeoutMs: number;
  at: number;
}

export type PasswordResetLastError = CodeFlowLastError;

export interface PasswordResetContext extends CodeFlowContext, Omit<PasswordResetInput, 'at'> {
  /** argon2id hash of the new password: set by a submitted code, cleared by a wrong code and every final state. */
  passwordHash: string | null;
  /** When the new password was stored (ms), once it was. */
  changedAt: number | null;
}

/** The payload of the local setPassword effect (never published: it carries the hash). */
export interface SetPasswordPayload {
  resetId: string;
  userId: string | null;
  passwordHash: string;
}

export type PasswordResetEvent =
  | CodeFlowReplyEvent
  | { type: 'CODE_SUBMITTED'; codeDigest: string; passwordHash: string; at: number }
  | { type: 'RESEND_REQUESTED'; at: number }
  | { type: 'PASSWORD_CHANGED'; changedAt: number; at: number }
  | { type: 'USER_GONE'; at: number }
  | SagaTimeoutEvent;

const timerDue = (timer: (typeof PASSWORD_RESET_TIMERS)[number]) => ({ type: 'timerDue', params: { timer } }) as const;

export const passwordResetMachine = setup({
  types: {
    context: {} as PasswordResetContext,
    events: {} as PasswordResetEvent,
    input: {} as PasswordResetInput,
  },
  actions: {
    ...sagaActions,
    codeSent: assign(({ context, event }) => codeSentPatch(context, event.at)),
    requestNewCode: assign(({ context, event }) => newCodeRequestedPatch(context, event.at)),
    startVerification: assign(({ context, event }) => ({
      ...verificationStartedPatch(context, event.at),
      passwordHash: event.type === 'CODE_SUBMITTED' ? event.passwordHash : null,
    })),
    codeInvalid: assign(({ context, event }) => ({
      ...codeInvalidPatch(context, event.type === 'CODE_INVALID' ? event.attemptsLeft : context.attemptsLeft),
      passwordHash: null,
    })),
    verifierTimedOut: assign(({ context }) => ({ ...verifierTimedOutPatch(context), passwordHash: null })),
    codeConfirmed: assign(({ context }) => codeConfirmedPatch(context)),
    passwordChanged: assign(({ context, event }) => ({
      changedAt: event.type === 'PASSWORD_CHANGED' ? event.changedAt : null,
      seq: nextSeq(context),
    })),
    /** Every final state: no secret, no timer, nothing pending survives. */
    clearSecrets: assign({ passwordHash: null, pendingRequestId: null, timers: {}, resendAvailableAt: null }),
  },
  guards: {
    ...sagaGuards,
    isPendingReply: ({ context, event }) => isPendingReply(context, event),
    /** A reset of an address without account never changes a password (the effect answers USER_GONE). */
    hasAccount: ({ context }) => context.userId !== null && context.nickname !== null,
    canResend: ({ context, event }) => canResend(context, event.at),
  },
}).createMachine({
  id: 'passwordReset',
  context: ({ input }) => {
    const { at, ...rest } = input;
    const base: PasswordResetContext = {
      ...rest,
      seq: 0,
      timers: {},
      passwordHash: null,
      pendingRequestId: null,
      expiresAt: null,
      resendAvailableAt: null,
      resends: 0,
      attemptsLeft: MAX_CODE_ATTEMPTS,
      lastError: null,
      changedAt: null,
    };
    return { ...base, ...freshCodeRequest(base, at) };
  },
  initial: 'requestingCode',
  states: {
    requestingCode: {
      description: 'Asking the verifier to mail a code (or, for an address without account, to keep an unguessable one)',
      entry: {
        type: 'saga.send',
        params: ({ context }) => ({
          queue: PASSWORD_RESET_CODE_QUEUE,
          requestId: context.pendingRequestId!,
          body: {
            resetId: context.resetId,
            requestId: context.pendingRequestId!,
            email: context.email,
            ...(context.nickname !== null ? { nickname: context.nickname } : {}),
            preferredLanguage: context.preferredLanguage,
            accountExists: context.accountExists,
            expiresAt: context.expiresAt!,
          } satisfies PasswordResetCodeRequest,
        }),
      },
      on: {
        CODE_SENT: { guard: 'isPendingReply', target: 'awaitingCode', actions: 'codeSent', description: 'The verifier stored the code (and mailed it)' },
        CODE_REQUEST_FAILED: { guard: 'isPendingReply', target: 'failed', description: 'The verifier gave up mailing the code' },
        'saga.timeout': [
          { guard: timerDue('request'), target: 'requestTimedOut', description: 'A durable timer fired (Redis key expiry or the sweep)' },
          { guard: timerDue('expiry'), target: 'expired' },
        ],
      },
    },
    awaitingCode: {
      description: 'Code mailed, waiting for the user',
      on: {
        CODE_SUBMITTED: {
          target: 'verifyingCode',
          description: 'The user submitted a code and a new password (POST …/verification); only the code’s HMAC digest travels, only the password’s hash is kept',
          actions: [
            'startVerification',
            {
              type: 'saga.send',
              params: ({ context, event }) => ({
                queue: CONFIRM_CODE_QUEUE,
                requestId: context.pendingRequestId!,
                body: {
                  flowId: context.resetId,
                  requestId: context.pendingRequestId!,
                  codeDigest: (event as { codeDigest: string }).codeDigest,
                } satisfies ConfirmCodeRequest,
              }),
            },
          ],
        },
        RESEND_REQUESTED: {
          guard: 'canResend',
          target: 'requestingCode',
          actions: 'requestNewCode',
          description: 'The user asked for a new code (POST …/resend); the old one stops being valid',
        },
        'saga.timeout': { guard: timerDue('expiry'), target: 'expired' },
      },
    },
    verifyingCode: {
      description: 'Verifier checks the submitted code',
      on: {
        CODE_CONFIRMED: {
          guard: 'isPendingReply',
          target: 'changingPassword',
          description: 'The verifier matched the code',
          actions: [
            'codeConfirmed',
            {
              type: 'saga.effect',
              params: ({ context }) => ({
                name: SET_PASSWORD_EFFECT,
                effectId: `p${context.seq}`,
                payload: { resetId: context.resetId, userId: context.userId, passwordHash: context.passwordHash! } satisfies SetPasswordPayload,
              }),
            },
          ],
        },
        CODE_INVALID: {
          guard: 'isPendingReply',
          target: 'awaitingCode',
          actions: 'codeInvalid',
          description: 'Wrong code (the new password’s hash is dropped); the reply says how many attempts are left',
        },
        CODE_LOCKED: { guard: 'isPendingReply', target: 'locked', description: 'Too many wrong codes: the verifier locked the reset' },
        CODE_EXPIRED: { guard: 'isPendingReply', target: 'expired', description: 'The verifier no longer has a code (its TTL ended)' },
        'saga.timeout': [
          { guard: timerDue('request'), target: 'awaitingCode', actions: 'verifierTimedOut' },
          { guard: timerDue('expiry'), target: 'expired' },
        ],
      },
    },
    changingPassword: {
      description: 'Code confirmed: storing the new hash and ending every session signed in before',
      on: {
        PASSWORD_CHANGED: {
          guard: 'hasAccount',
          target: 'completed',
          description: 'The setPassword effect stored the hash and revoked the sessions; the owner is told by mail (one way)',
          actions: [
            'passwordChanged',
            {
              type: 'saga.send',
              params: ({ context, event }) => ({
                queue: ACCOUNT_NOTICE_QUEUE,
                requestId: `n${context.seq}`,
                oneWay: true,
                body: {
                  noticeId: `password-reset-${context.resetId}`,
                  kind: 'password-changed',
                  email: context.email,
                  nickname: context.nickname!,
                  preferredLanguage: context.preferredLanguage,
                  at: (event as { changedAt: number }).changedAt,
                } satisfies AccountNotice,
              }),
            },
          ],
        },
        USER_GONE: { target: 'userGone', description: 'The account no longer exists (deleted meanwhile): nothing to change' },
      },
    },
    completed: { type: 'final', description: 'New password stored, older sessions ended', entry: 'clearSecrets' },
    expired: { type: 'final', description: 'The code expired', entry: 'clearSecrets' },
    locked: { type: 'final', description: 'Too many wrong codes', entry: 'clearSecrets' },
    failed: { type: 'final', description: 'The verifier could not send the code', entry: 'clearSecrets' },
    requestTimedOut: { type: 'final', description: 'The verifier did not answer in time', entry: 'clearSecrets' },
    userGone: { type: 'final', description: 'The account was deleted before the password could be set', entry: 'clearSecrets' },
  },
});

export type PasswordResetMachine = typeof passwordResetMachine;
export type PasswordResetStateName = keyof typeof passwordResetMachine.root.states & string;
