/**
 * The registration saga as a PURE state machine: no I/O, no clocks, no randomness. Effects are named
 * actions the saga runtime executes (`saga.send` → queue, `saga.effect` → createUser), time comes in
 * on every event as `at`, and timeouts are token-checked timers kept in context (no `after`).
 * This definition is the source of docs/sagas/registration.md and of the model-based tests; the
 * `description` of states and transitions is what the generated docs print.
 */
import {
  ACCOUNT_CREATION_QUEUE,
  CONFIRM_EMAIL_CODE_QUEUE,
  MAX_CODE_ATTEMPTS,
  type AccountCreationRequest,
  type ConfirmEmailCodeRequest,
} from '@ashchat/contracts';
import { sagaActions, sagaGuards, type SagaTimeoutEvent } from '@ashchat/saga';
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

/** Bump when a change makes persisted registration snapshots unreadable (then add a migration). */
export const REGISTRATION_MACHINE_VERSION = 1;
export const REGISTRATION_TIMERS = ['request', 'expiry'] as const;
export const CREATE_USER_EFFECT = 'createUser';

export interface RegistrationInput {
  registrationId: string;
  email: string;
  emailNormalized: string;
  nickname: string;
  preferredLanguage: string;
  /** argon2id hash; lives only here (never in a queue body) and is cleared in every final state. */
  passwordHash: string;
  accountExists: boolean;
  codeTtlMs: number;
  resendCooldownMs: number;
  maxResends: number;
  requestTimeoutMs: number;
  at: number;
}

export type RegistrationLastError = CodeFlowLastError;

/** The device that submitted the code: it becomes trusted with the account (its id only as a digest). */
export interface RegistrationDevice {
  deviceIdHash: string;
  name: string | null;
}

export interface RegistrationContext extends CodeFlowContext, Omit<RegistrationInput, 'at' | 'passwordHash'> {
  passwordHash: string | null;
  userId: string | null;
  /** The device of the code being checked (absent in snapshots from before devices, and when none was named). */
  device?: RegistrationDevice | null;
}

/** The payload of the local createUser effect (never published: it carries the hash). */
export type CreateUserPayload = Pick<
  RegistrationInput,
  'registrationId' | 'email' | 'emailNormalized' | 'nickname' | 'preferredLanguage' | 'passwordHash'
> & { device?: RegistrationDevice };

export type RegistrationEvent =
  | CodeFlowReplyEvent
  | { type: 'CODE_SUBMITTED'; codeDigest: string; device?: RegistrationDevice; at: number }
  | { type: 'RESEND_REQUESTED'; at: number }
  /** `created`: this run inserted the user (false: it found the one an earlier run of this registration inserted). */
  | { type: 'USER_CREATED'; userId: string; created?: boolean; at: number }
  | { type: 'USER_CONFLICT'; at: number }
  | SagaTimeoutEvent;

const timerDue = (timer: (typeof REGISTRATION_TIMERS)[number]) => ({ type: 'timerDue', params: { timer } }) as const;

/** A submitted code goes to the verifier (from awaitingCode, or from requestingCode when the mail beat the reply). */
const submitCode = (description: string) =>
  ({
    target: 'verifyingCode',
    description,
    actions: [
      'startVerification',
      {
        type: 'saga.send',
        params: ({ context, event }: { context: RegistrationContext; event: RegistrationEvent }) => ({
          queue: CONFIRM_EMAIL_CODE_QUEUE,
          requestId: context.pendingRequestId!,
          body: {
            registrationId: context.registrationId,
            requestId: context.pendingRequestId!,
            codeDigest: (event as { codeDigest: string }).codeDigest,
          } satisfies ConfirmEmailCodeRequest,
        }),
      },
    ],
  }) as const;

export const registrationMachine = setup({
  types: {
    context: {} as RegistrationContext,
    events: {} as RegistrationEvent,
    input: {} as RegistrationInput,
  },
  actions: {
    ...sagaActions,
    codeSent: assign(({ context, event }) => codeSentPatch(context, event.at)),
    requestNewCode: assign(({ context, event }) => newCodeRequestedPatch(context, event.at)),
    startVerification: assign(({ context, event }) => ({
      ...verificationStartedPatch(context, event.at),
      device: event.type === 'CODE_SUBMITTED' ? (event.device ?? null) : (context.device ?? null),
    })),
    codeInvalid: assign(({ context, event }) => codeInvalidPatch(context, event.type === 'CODE_INVALID' ? event.attemptsLeft : context.attemptsLeft)),
    verifierTimedOut: assign(({ context }) => verifierTimedOutPatch(context)),
    codeConfirmed: assign(({ context }) => codeConfirmedPatch(context)),
    /** Every final state: no secret, no timer, nothing pending survives. */
    clearSecrets: assign({ passwordHash: null, pendingRequestId: null, timers: {}, resendAvailableAt: null }),
  },
  guards: {
    ...sagaGuards,
    isPendingReply: ({ context, event }) => isPendingReply(context, event),
    canResend: ({ context, event }) => canResend(context, event.at),
  },
}).createMachine({
  id: 'registration',
  context: ({ input }) => {
    const { at, ...rest } = input;
    const base: RegistrationContext = {
      ...rest,
      seq: 0,
      timers: {},
      pendingRequestId: null,
      expiresAt: null,
      resendAvailableAt: null,
      resends: 0,
      attemptsLeft: MAX_CODE_ATTEMPTS,
      lastError: null,
      userId: null,
    };
    return { ...base, ...freshCodeRequest(base, at) };
  },
  initial: 'requestingCode',
  states: {
    requestingCode: {
      description: 'Asking the verifier to mail a code',
      entry: {
        type: 'saga.send',
        params: ({ context }) => ({
          queue: ACCOUNT_CREATION_QUEUE,
          requestId: context.pendingRequestId!,
          body: {
            registrationId: context.registrationId,
            requestId: context.pendingRequestId!,
            email: context.email,
            nickname: context.nickname,
            preferredLanguage: context.preferredLanguage,
            accountExists: context.accountExists,
            expiresAt: context.expiresAt!,
          } satisfies AccountCreationRequest,
        }),
      },
      on: {
        CODE_SENT: {
          guard: 'isPendingReply',
          target: 'awaitingCode',
          actions: 'codeSent',
          description: 'The verifier stored the code and mailed it',
        },
        CODE_REQUEST_FAILED: { guard: 'isPendingReply', target: 'failed', description: 'The verifier gave up mailing the code' },
        CODE_SUBMITTED: submitCode(
          'The user submitted a code (POST …/verification); only its HMAC digest travels. Taken here too: the mail can arrive before the code-sent reply is applied, which is stale then',
        ),
        'saga.timeout': [
          { guard: timerDue('request'), target: 'requestTimedOut', description: 'A durable timer fired (Redis key expiry or the sweep)' },
          { guard: timerDue('expiry'), target: 'expired' },
        ],
      },
    },
    awaitingCode: {
      description: 'Code mailed, waiting for the user',
      on: {
        CODE_SUBMITTED: submitCode('The user submitted a code (POST …/verification); only its HMAC digest travels'),
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
          target: 'creatingUser',
          description: 'The verifier matched the code',
          actions: [
            'codeConfirmed',
            {
              type: 'saga.effect',
              // Inline: the user is inserted before this transition is stored, and the write stores
              // `completed` (README, "Creating the user"). The reply is acked only after that write.
              params: ({ context }) => ({
                name: CREATE_USER_EFFECT,
                effectId: `u${context.seq}`,
                inline: true,
                payload: {
                  registrationId: context.registrationId,
                  email: context.email,
                  emailNormalized: context.emailNormalized,
                  nickname: context.nickname,
                  preferredLanguage: context.preferredLanguage,
                  passwordHash: context.passwordHash!,
                  ...(context.device ? { device: context.device } : {}),
                } satisfies CreateUserPayload,
              }),
            },
          ],
        },
        CODE_INVALID: {
          guard: 'isPendingReply',
          target: 'awaitingCode',
          actions: 'codeInvalid',
          description: 'Wrong code; the reply says how many attempts are left',
        },
        CODE_LOCKED: { guard: 'isPendingReply', target: 'locked', description: 'Too many wrong codes: the verifier locked the registration' },
        CODE_EXPIRED: { guard: 'isPendingReply', target: 'expired', description: 'The verifier no longer has a code (its TTL ended)' },
        'saga.timeout': [
          { guard: timerDue('request'), target: 'awaitingCode', actions: 'verifierTimedOut' },
          { guard: timerDue('expiry'), target: 'expired' },
        ],
      },
    },
    creatingUser: {
      description: 'Code confirmed, inserting the user',
      on: {
        USER_CREATED: {
          target: 'completed',
          actions: assign({ userId: ({ event }) => event.userId }),
          description: 'The createUser effect inserted the user',
        },
        USER_CONFLICT: { target: 'emailTaken', description: 'The createUser effect found the e-mail taken (unique index)' },
      },
    },
    completed: { type: 'final', description: 'User created', entry: 'clearSecrets' },
    expired: { type: 'final', description: 'The code expired', entry: 'clearSecrets' },
    locked: { type: 'final', description: 'Too many wrong codes', entry: 'clearSecrets' },
    failed: { type: 'final', description: 'The verifier could not send the code', entry: 'clearSecrets' },
    requestTimedOut: { type: 'final', description: 'The verifier did not answer in time', entry: 'clearSecrets' },
    emailTaken: { type: 'final', description: 'Another registration created this email first', entry: 'clearSecrets' },
  },
});

export type RegistrationMachine = typeof registrationMachine;
export type RegistrationStateName = keyof typeof registrationMachine.root.states & string;
