/**
 * The missed-message digest of ONE user as a PURE state machine (no I/O, no clocks): one instance
 * per user that cycles for ever. An unread message arms the `digest` timer (DIGEST_DELAY_MS); when
 * it fires, the local effect `composeDigest` decides with fresh facts (presence, the opt-out, unread
 * counts, mutes) and either composes the mail or says why not. The mail goes to the verifier as a
 * request (outbox, at least once) keyed `<sagaId>:<cycle>`, so however often it is delivered it is
 * mailed once; the `cooldown` timer (DIGEST_PERIOD_MS) then holds the next digest back.
 */
import { DIGEST_MAIL_QUEUE, type DigestConversation, type DigestMailRequest } from '@ashchat/contracts';
import { armTimers, disarmTimers, nextSeq, sagaActions, sagaGuards, type SagaKitContext } from '@ashchat/saga';
import { assign, setup } from 'xstate';

/** Bump when a change makes persisted snapshots unreadable (then add a migration). */
export const DIGEST_MACHINE_VERSION = 1;
export const COMPOSE_DIGEST_EFFECT = 'composeDigest';
export const DIGEST_TIMERS = ['digest', 'cooldown'] as const;

/** One digest saga per user, found by the user id alone (no lookup, any instance). */
export const digestIdOf = (userId: string): string => `digest-${userId}`;

export interface DigestInput {
  userId: string;
  /** DIGEST_DELAY_MS when the saga started (kept: a changed setting applies to new users' sagas). */
  delayMs: number;
  /** DIGEST_PERIOD_MS. */
  periodMs: number;
  at: number;
}

export interface DigestContext extends SagaKitContext {
  userId: string;
  delayMs: number;
  periodMs: number;
  /** Digests requested so far; the current one's number is part of its dedup key. */
  cycle: number;
  /** The effect whose result is awaited; any other result is stale. */
  pendingEffectId: string | null;
  /** The mail request whose reply is awaited. */
  pendingRequestId: string | null;
  /** First unread message seen while a digest could not go out yet (sending, cooldown); null if none. */
  unreadSince: number | null;
  lastSentAt: number | null;
}

/** What `composeDigest` is given (never published: effects run in this process). */
export interface ComposeDigestPayload {
  userId: string;
  delayMs: number;
}

/** The mail as `composeDigest` found it; the saga adds ids and the dedup key. */
export type ComposedDigest = Pick<DigestMailRequest, 'email' | 'nickname' | 'preferredLanguage' | 'moreConversations'> & {
  conversations: DigestConversation[];
};

export type DigestSkipReason = 'online' | 'opted-out' | 'nothing-unread' | 'user-gone';

type Stamped<T extends string, X = object> = { type: T; at: number } & X;
export type DigestEvent =
  | Stamped<'UNREAD', { messageId: string }>
  | Stamped<'DIGEST_COMPOSED', { effectId: string; mail: ComposedDigest }>
  /** Offline, but not for DIGEST_DELAY_MS yet: try again at `until`. */
  | Stamped<'DIGEST_DEFERRED', { effectId: string; until: number }>
  | Stamped<'DIGEST_SKIPPED', { effectId: string; reason: DigestSkipReason }>
  | Stamped<'MAIL_REPLIED', { requestId: string; outcome: 'sent' | 'already-sent' | 'failed' }>
  | Stamped<'saga.timeout', { timer: string; token: string }>;

const timerDue = (timer: (typeof DIGEST_TIMERS)[number]) => ({ type: 'timerDue', params: { timer } }) as const;

export const digestMachine = setup({
  types: {
    context: {} as DigestContext,
    events: {} as DigestEvent,
    input: {} as DigestInput,
  },
  actions: {
    ...sagaActions,
    armDigest: assign(({ context, event }) => ({ ...armTimers(context, { digest: event.at + context.delayMs }), unreadSince: null })),
    /** Messages remembered meanwhile (cooldown, composing): the timer runs from the first, and fires at once if it waited long enough already. */
    armForRemembered: assign(({ context, event }) => ({
      ...armTimers({ ...context, ...disarmTimers(context, 'cooldown') }, { digest: Math.max(event.at, (context.unreadSince ?? event.at) + context.delayMs) }),
      pendingEffectId: null,
      unreadSince: null,
    })),
    armDeferred: assign(({ context, event }) => ({
      ...armTimers(context, { digest: event.type === 'DIGEST_DEFERRED' ? event.until : event.at + context.delayMs }),
      pendingEffectId: null,
      unreadSince: null,
    })),
    rememberUnread: assign(({ context, event }) => ({ unreadSince: context.unreadSince ?? event.at })),
    beginCompose: assign(({ context }) => ({ seq: nextSeq(context), pendingEffectId: `e${nextSeq(context)}`, ...disarmTimers(context, 'digest') })),
    settle: assign(({ context }) => ({ ...disarmTimers(context), pendingEffectId: null, pendingRequestId: null, unreadSince: null })),
    /** The request is stored in the same transition (outbox): the cooldown starts with it. */
    requestMail: assign(({ context, event }) => ({
      ...armTimers(context, { cooldown: event.at + context.periodMs }),
      cycle: context.cycle + 1,
      pendingEffectId: null,
      pendingRequestId: `r${nextSeq(context)}`,
    })),
    replied: assign(({ context, event }) => ({
      pendingRequestId: null,
      lastSentAt: event.type === 'MAIL_REPLIED' && event.outcome !== 'failed' ? event.at : context.lastSentAt,
    })),
  },
  guards: {
    ...sagaGuards,
    isCurrentEffect: ({ context, event }) => 'effectId' in event && context.pendingEffectId !== null && event.effectId === context.pendingEffectId,
    isPendingReply: ({ context, event }) => event.type === 'MAIL_REPLIED' && context.pendingRequestId !== null && event.requestId === context.pendingRequestId,
    skippedWithUnread: ({ context, event }) =>
      event.type === 'DIGEST_SKIPPED' && context.pendingEffectId !== null && event.effectId === context.pendingEffectId && context.unreadSince !== null,
    cooldownOverWithUnread: ({ context, event }) => sagaGuards.timerDue({ context, event }, { timer: 'cooldown' }) && context.unreadSince !== null,
  },
}).createMachine({
  id: 'digest',
  context: ({ input }) => ({
    userId: input.userId,
    delayMs: input.delayMs,
    periodMs: input.periodMs,
    seq: 0,
    timers: {},
    cycle: 0,
    pendingEffectId: null,
    pendingRequestId: null,
    unreadSince: null,
    lastSentAt: null,
  }),
  initial: 'idle',
  states: {
    idle: {
      description: 'Nothing unread that a mail could be about',
      on: {
        UNREAD: { target: 'waiting', actions: 'armDigest', description: 'A message for the user arrived while they were offline: the digest timer starts' },
      },
    },
    waiting: {
      description: 'Unread messages; the digest timer (DIGEST_DELAY_MS) runs. Further messages change nothing',
      on: {
        'saga.timeout': { guard: timerDue('digest'), target: 'composing', description: 'The delay is over: check presence, the setting, unread and mutes' },
      },
    },
    composing: {
      description: 'composeDigest (local effect): still offline for DIGEST_DELAY_MS? opted in? unread in conversations that are not muted? If so, the mail’s content',
      entry: [
        'beginCompose',
        {
          type: 'saga.effect',
          params: ({ context }) => ({
            name: COMPOSE_DIGEST_EFFECT,
            effectId: context.pendingEffectId!,
            payload: { userId: context.userId, delayMs: context.delayMs } satisfies ComposeDigestPayload,
          }),
        },
      ],
      on: {
        DIGEST_COMPOSED: {
          guard: 'isCurrentEffect',
          target: 'sending',
          description: 'Offline long enough, opted in, unread left: the mail request goes out (dedup key = saga id and cycle)',
          actions: [
            {
              type: 'saga.send',
              params: ({ context, event }) => {
                const e = event as Extract<DigestEvent, { type: 'DIGEST_COMPOSED' }>;
                const requestId = `r${nextSeq(context)}`;
                return {
                  queue: DIGEST_MAIL_QUEUE,
                  requestId,
                  body: {
                    digestId: digestIdOf(context.userId),
                    requestId,
                    dedupKey: `${digestIdOf(context.userId)}:${context.cycle + 1}`,
                    ...e.mail,
                    at: e.at,
                  } satisfies DigestMailRequest,
                };
              },
            },
            'requestMail',
          ],
        },
        DIGEST_DEFERRED: { guard: 'isCurrentEffect', target: 'waiting', actions: 'armDeferred', description: 'Offline, but not for long enough yet (was online meanwhile): wait until then' },
        DIGEST_SKIPPED: [
          { guard: 'skippedWithUnread', target: 'waiting', actions: 'armForRemembered', description: 'No mail now, but a message came while checking: wait again' },
          { guard: 'isCurrentEffect', target: 'idle', actions: 'settle', description: 'Online, opted out, everything read (or muted) or the account is gone: no mail' },
        ],
        UNREAD: { actions: 'rememberUnread', description: 'Remembered: the check may have read before it' },
      },
    },
    sending: {
      description: 'The verifier mails the digest; the cooldown (DIGEST_PERIOD_MS) already runs',
      on: {
        MAIL_REPLIED: { guard: 'isPendingReply', target: 'cooldown', actions: 'replied', description: 'Mailed (or mailed before: the same dedup key), or failed for good' },
        UNREAD: { actions: 'rememberUnread', description: 'Remembered for after the cooldown' },
        'saga.timeout': { guard: timerDue('cooldown'), target: 'idle', actions: 'settle', description: 'No reply within the period: given up (the verifier still mails the key at most once)' },
      },
    },
    cooldown: {
      description: 'One digest per period: messages are only remembered until DIGEST_PERIOD_MS after the request',
      on: {
        UNREAD: { actions: 'rememberUnread', description: 'Remembered for after the cooldown' },
        'saga.timeout': [
          { guard: 'cooldownOverWithUnread', target: 'waiting', actions: 'armForRemembered', description: 'Period over and messages came meanwhile: the digest timer starts (or fires at once if they waited long enough)' },
          { guard: timerDue('cooldown'), target: 'idle', actions: 'settle', description: 'Period over, nothing new' },
        ],
      },
    },
  },
});

export type DigestMachine = typeof digestMachine;
