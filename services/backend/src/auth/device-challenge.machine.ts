/**
 * The device challenge as a PURE state machine (no I/O, no clocks, no randomness), modelled on the
 * registration's: a right password from a device the account does not trust mails a code; the
 * right code makes the device trusted (local effect `trustDevice`), after which the waiting request
 * issues the session. The account owner can refuse from the mail ("this was not me"): `denied`.
 * Time comes in on every event as `at`; timeouts are token-checked timers kept in context.
 */
import { CONFIRM_CODE_QUEUE, DEVICE_CODE_QUEUE, MAX_CODE_ATTEMPTS, type ConfirmCodeRequest, type DeviceCodeRequest } from '@ashchat/contracts';
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

/** Bump when a change makes persisted challenge snapshots unreadable (then add a migration). */
export const DEVICE_CHALLENGE_MACHINE_VERSION = 1;
export const DEVICE_CHALLENGE_TIMERS = ['request', 'expiry'] as const;
export const TRUST_DEVICE_EFFECT = 'trustDevice';

export interface DeviceChallengeInput {
  challengeId: string;
  userId: string;
  email: string;
  nickname: string;
  preferredLanguage: string;
  /** hashClientDeviceId(the client's id): the client's own id never enters the saga. */
  deviceIdHash: string;
  deviceName: string | null;
  codeTtlMs: number;
  resendCooldownMs: number;
  maxResends: number;
  requestTimeoutMs: number;
  at: number;
}

export type DeviceChallengeLastError = CodeFlowLastError;

export interface DeviceChallengeContext extends CodeFlowContext, Omit<DeviceChallengeInput, 'at'> {
  /** When the sign-in was attempted (the mail says so). */
  requestedAt: number;
  /** The trusted device's public id, once the effect trusted it. */
  deviceId: string | null;
}

/** The payload of the local trustDevice effect. */
export type TrustDevicePayload = Pick<DeviceChallengeContext, 'challengeId' | 'userId' | 'deviceIdHash' | 'deviceName'>;

export type DeviceChallengeEvent =
  | CodeFlowReplyEvent
  | { type: 'CODE_SUBMITTED'; codeDigest: string; at: number }
  | { type: 'RESEND_REQUESTED'; at: number }
  | { type: 'DENIED'; at: number }
  | { type: 'DEVICE_TRUSTED'; deviceId: string; at: number }
  | SagaTimeoutEvent;

const timerDue = (timer: (typeof DEVICE_CHALLENGE_TIMERS)[number]) => ({ type: 'timerDue', params: { timer } }) as const;
const DENY = { target: 'denied', description: 'The account owner followed the mail’s "this was not me" link' } as const;

export const deviceChallengeMachine = setup({
  types: {
    context: {} as DeviceChallengeContext,
    events: {} as DeviceChallengeEvent,
    input: {} as DeviceChallengeInput,
  },
  actions: {
    ...sagaActions,
    codeSent: assign(({ context, event }) => codeSentPatch(context, event.at)),
    requestNewCode: assign(({ context, event }) => newCodeRequestedPatch(context, event.at)),
    startVerification: assign(({ context, event }) => verificationStartedPatch(context, event.at)),
    codeInvalid: assign(({ context, event }) => codeInvalidPatch(context, event.type === 'CODE_INVALID' ? event.attemptsLeft : context.attemptsLeft)),
    verifierTimedOut: assign(({ context }) => verifierTimedOutPatch(context)),
    codeConfirmed: assign(({ context }) => codeConfirmedPatch(context)),
    /** Every final state: no timer, nothing pending survives. */
    closeOut: assign({ pendingRequestId: null, timers: {}, resendAvailableAt: null }),
  },
  guards: {
    ...sagaGuards,
    isPendingReply: ({ context, event }) => isPendingReply(context, event),
    canResend: ({ context, event }) => canResend(context, event.at),
  },
}).createMachine({
  id: 'device-challenge',
  context: ({ input }) => {
    const { at, ...rest } = input;
    const base: DeviceChallengeContext = {
      ...rest,
      requestedAt: at,
      seq: 0,
      timers: {},
      pendingRequestId: null,
      expiresAt: null,
      resendAvailableAt: null,
      resends: 0,
      attemptsLeft: MAX_CODE_ATTEMPTS,
      lastError: null,
      deviceId: null,
    };
    return { ...base, ...freshCodeRequest(base, at) };
  },
  initial: 'requestingCode',
  states: {
    requestingCode: {
      description: 'Asking the verifier to mail a sign-in code',
      entry: {
        type: 'saga.send',
        params: ({ context }) => ({
          queue: DEVICE_CODE_QUEUE,
          requestId: context.pendingRequestId!,
          body: {
            challengeId: context.challengeId,
            requestId: context.pendingRequestId!,
            email: context.email,
            nickname: context.nickname,
            preferredLanguage: context.preferredLanguage,
            deviceName: context.deviceName,
            requestedAt: context.requestedAt,
            expiresAt: context.expiresAt!,
          } satisfies DeviceCodeRequest,
        }),
      },
      on: {
        CODE_SENT: { guard: 'isPendingReply', target: 'awaitingCode', actions: 'codeSent', description: 'The verifier stored the code and mailed it' },
        CODE_REQUEST_FAILED: { guard: 'isPendingReply', target: 'failed', description: 'The verifier gave up mailing the code' },
        DENIED: DENY,
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
          description: 'The user submitted a code (POST …/challenges/{id}); only its HMAC digest travels',
          actions: [
            'startVerification',
            {
              type: 'saga.send',
              params: ({ context, event }) => ({
                queue: CONFIRM_CODE_QUEUE,
                requestId: context.pendingRequestId!,
                body: {
                  flowId: context.challengeId,
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
        DENIED: DENY,
        'saga.timeout': { guard: timerDue('expiry'), target: 'expired' },
      },
    },
    verifyingCode: {
      description: 'Verifier checks the submitted code',
      on: {
        CODE_CONFIRMED: {
          guard: 'isPendingReply',
          target: 'trustingDevice',
          description: 'The verifier matched the code',
          actions: [
            'codeConfirmed',
            {
              type: 'saga.effect',
              params: ({ context }) => ({
                name: TRUST_DEVICE_EFFECT,
                effectId: `d${context.seq}`,
                payload: {
                  challengeId: context.challengeId,
                  userId: context.userId,
                  deviceIdHash: context.deviceIdHash,
                  deviceName: context.deviceName,
                } satisfies TrustDevicePayload,
              }),
            },
          ],
        },
        CODE_INVALID: { guard: 'isPendingReply', target: 'awaitingCode', actions: 'codeInvalid', description: 'Wrong code; the reply says how many attempts are left' },
        CODE_LOCKED: { guard: 'isPendingReply', target: 'locked', description: 'Too many wrong codes: the verifier locked the challenge' },
        CODE_EXPIRED: { guard: 'isPendingReply', target: 'expired', description: 'The verifier no longer has a code (its TTL ended)' },
        DENIED: DENY,
        'saga.timeout': [
          { guard: timerDue('request'), target: 'awaitingCode', actions: 'verifierTimedOut' },
          { guard: timerDue('expiry'), target: 'expired' },
        ],
      },
    },
    trustingDevice: {
      description: 'Code confirmed, trusting the device',
      on: {
        DEVICE_TRUSTED: {
          target: 'completed',
          actions: assign({ deviceId: ({ event }) => event.deviceId }),
          description: 'The trustDevice effect stored the device (once: unique per account and device)',
        },
      },
    },
    completed: { type: 'final', description: 'The device is trusted; the verifying request issues the session', entry: 'closeOut' },
    expired: { type: 'final', description: 'The code expired', entry: 'closeOut' },
    locked: { type: 'final', description: 'Too many wrong codes', entry: 'closeOut' },
    failed: { type: 'final', description: 'The verifier could not send the code', entry: 'closeOut' },
    requestTimedOut: { type: 'final', description: 'The verifier did not answer in time', entry: 'closeOut' },
    denied: { type: 'final', description: 'The account owner refused the sign-in: no session, ever', entry: 'closeOut' },
  },
});

export type DeviceChallengeMachine = typeof deviceChallengeMachine;
export type DeviceChallengeStateName = keyof typeof deviceChallengeMachine.root.states & string;
