/**
 * The device challenge as a PURE state machine (no I/O, no clocks, no randomness), modelled on the
 * registration's: a right password from a device the account does not trust mails a code; the
 * right code makes the device trusted (local effect `trustDevice`), after which the waiting request
 * issues the session. The account owner can refuse from the mail ("this was not me"): `denied`.
 * Time comes in on every event as `at`; timeouts are token-checked timers kept in context.
 */
import { CONFIRM_CODE_QUEUE, DEVICE_CODE_QUEUE, MAX_CODE_ATTEMPTS, type ConfirmCodeRequest, type DeviceCodeRequest } from '@ashchat/contracts';
import { armTimers, disarmTimers, nextSeq, sagaActions, sagaGuards, type SagaKitContext, type SagaTimeoutEvent } from '@ashchat/saga';
import { assign, setup } from 'xstate';

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

export type DeviceChallengeLastError = 'invalid-code' | 'verifier-timeout';

export interface DeviceChallengeContext extends SagaKitContext, Omit<DeviceChallengeInput, 'at'> {
  /** When the sign-in was attempted (the mail says so). */
  requestedAt: number;
  /** The request whose reply is awaited; any other reply is stale. */
  pendingRequestId: string | null;
  expiresAt: number | null;
  resendAvailableAt: number | null;
  resends: number;
  attemptsLeft: number;
  lastError: DeviceChallengeLastError | null;
  /** The trusted device's public id, once the effect trusted it. */
  deviceId: string | null;
}

/** The payload of the local trustDevice effect. */
export type TrustDevicePayload = Pick<DeviceChallengeContext, 'challengeId' | 'userId' | 'deviceIdHash' | 'deviceName'>;

type Reply<T extends string, X = object> = { type: T; requestId: string; at: number } & X;
export type DeviceChallengeEvent =
  | Reply<'CODE_SENT'>
  | Reply<'CODE_REQUEST_FAILED', { reason?: string }>
  | Reply<'CODE_CONFIRMED'>
  | Reply<'CODE_INVALID', { attemptsLeft: number }>
  | Reply<'CODE_LOCKED'>
  | Reply<'CODE_EXPIRED'>
  | { type: 'CODE_SUBMITTED'; codeDigest: string; at: number }
  | { type: 'RESEND_REQUESTED'; at: number }
  | { type: 'DENIED'; at: number }
  | { type: 'DEVICE_TRUSTED'; deviceId: string; at: number }
  | SagaTimeoutEvent;

/** A fresh code request: new request id, new expiry, both timers (re)armed. */
function newCodeRequest(ctx: DeviceChallengeContext, at: number): Partial<DeviceChallengeContext> {
  const requestId = `r${nextSeq(ctx)}`;
  const expiresAt = at + ctx.codeTtlMs;
  return {
    pendingRequestId: requestId,
    expiresAt,
    resendAvailableAt: null,
    ...armTimers({ seq: nextSeq(ctx), timers: ctx.timers }, { request: at + ctx.requestTimeoutMs, expiry: expiresAt }),
  };
}

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
    codeSent: assign(({ context, event }) => ({
      pendingRequestId: null,
      resendAvailableAt: event.at + context.resendCooldownMs,
      ...disarmTimers(context, 'request'),
    })),
    requestNewCode: assign(({ context, event }) => ({ resends: context.resends + 1, lastError: null, ...newCodeRequest(context, event.at) })),
    startVerification: assign(({ context, event }) => ({
      pendingRequestId: `r${nextSeq(context)}`,
      lastError: null,
      ...armTimers({ seq: nextSeq(context), timers: context.timers }, { request: event.at + context.requestTimeoutMs }),
    })),
    codeInvalid: assign(({ context, event }) => ({
      pendingRequestId: null,
      attemptsLeft: event.type === 'CODE_INVALID' ? event.attemptsLeft : context.attemptsLeft,
      lastError: 'invalid-code' as const,
      ...disarmTimers(context, 'request'),
    })),
    verifierTimedOut: assign(({ context }) => ({ pendingRequestId: null, lastError: 'verifier-timeout' as const, ...disarmTimers(context, 'request') })),
    codeConfirmed: assign(({ context }) => ({ pendingRequestId: null, seq: nextSeq(context), ...disarmTimers(context) })),
    /** Every final state: no timer, nothing pending survives. */
    closeOut: assign({ pendingRequestId: null, timers: {}, resendAvailableAt: null }),
  },
  guards: {
    ...sagaGuards,
    isPendingReply: ({ context, event }) => 'requestId' in event && context.pendingRequestId !== null && event.requestId === context.pendingRequestId,
    canResend: ({ context, event }) => context.resends < context.maxResends && context.resendAvailableAt !== null && event.at >= context.resendAvailableAt,
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
    return { ...base, ...newCodeRequest(base, at) };
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
