/**
 * The account-deletion saga as a PURE state machine: no I/O, no clocks. Every step is a local,
 * idempotent effect (`saga.effect`) entered with its own effect id; the step's result event must
 * carry that id, so a late or repeated result (the relay re-runs an effect a crash interrupted)
 * never moves the saga twice. Long steps run in batches: the state is re-entered with a new effect
 * id while the effect reports `more`. This definition is the source of the generated docs.
 */
import { ACCOUNT_NOTICE_QUEUE, type AccountNotice } from '@ashchat/contracts';
import { nextSeq, sagaActions, sagaGuards, type SagaKitContext } from '@ashchat/saga';
import { assign, setup } from 'xstate';

/** Bump when a change makes persisted snapshots unreadable (then add a migration). */
export const ACCOUNT_DELETION_MACHINE_VERSION = 1;

export const MARK_USER_EFFECT = 'markUser';
export const LEAVE_CONVERSATIONS_EFFECT = 'leaveConversations';
export const ANONYMISE_MESSAGES_EFFECT = 'anonymiseMessages';
export const DELETE_PROFILE_EFFECT = 'deleteProfile';

export interface AccountDeletionInput {
  deletionId: string;
  userId: string;
  registrationId: string;
  email: string;
  emailNormalized: string;
  nickname: string;
  preferredLanguage: string;
  /** How many conversations or messages one effect run handles. */
  batchSize: number;
  at: number;
}

/** The address and name live here only until the notice is sent: the finished saga keeps ids and times. */
export interface AccountDeletionContext extends SagaKitContext {
  deletionId: string;
  userId: string;
  registrationId: string;
  email: string | null;
  emailNormalized: string | null;
  nickname: string | null;
  preferredLanguage: string | null;
  batchSize: number;
  startedAt: number;
  completedAt: number | null;
  /** The effect whose result is awaited; any other result is stale. */
  pendingEffectId: string | null;
  conversationsLeft: number;
  messagesAnonymised: number;
}

/** What every effect is given (never published: effects run in this process). */
export interface AccountDeletionEffectPayload {
  userId: string;
  registrationId: string;
  emailNormalized: string;
  batchSize: number;
}

type Result<T extends string, X = object> = { type: T; effectId: string; at: number } & X;
export type AccountDeletionEvent =
  | Result<'USER_MARKED'>
  | Result<'CONVERSATIONS_LEFT', { count: number; more: boolean }>
  | Result<'MESSAGES_ANONYMISED', { count: number; more: boolean }>
  | Result<'PROFILE_DELETED'>;

/** The `saga.effect` action of a step, with the effect id `beginStep` just assigned. */
const runEffect = (name: string) =>
  ({
    type: 'saga.effect',
    params: ({ context }: { context: AccountDeletionContext }) => ({
      name,
      effectId: context.pendingEffectId!,
      payload: {
        userId: context.userId,
        registrationId: context.registrationId,
        emailNormalized: context.emailNormalized!,
        batchSize: context.batchSize,
      } satisfies AccountDeletionEffectPayload,
    }),
  }) as const;

export const accountDeletionMachine = setup({
  types: {
    context: {} as AccountDeletionContext,
    events: {} as AccountDeletionEvent,
    input: {} as AccountDeletionInput,
  },
  actions: {
    ...sagaActions,
    beginStep: assign(({ context }) => ({ seq: nextSeq(context), pendingEffectId: `e${nextSeq(context)}` })),
    countConversations: assign(({ context, event }) => ({
      conversationsLeft: context.conversationsLeft + (event.type === 'CONVERSATIONS_LEFT' ? event.count : 0),
    })),
    countMessages: assign(({ context, event }) => ({
      messagesAnonymised: context.messagesAnonymised + (event.type === 'MESSAGES_ANONYMISED' ? event.count : 0),
    })),
    /** The final document keeps ids, counts and times only. */
    forgetPerson: assign(({ event }) => ({
      email: null,
      emailNormalized: null,
      nickname: null,
      preferredLanguage: null,
      pendingEffectId: null,
      completedAt: event.at,
    })),
  },
  guards: {
    ...sagaGuards,
    isCurrentEffect: ({ context, event }) => context.pendingEffectId !== null && event.effectId === context.pendingEffectId,
    hasMore: ({ context, event }) => context.pendingEffectId === event.effectId && 'more' in event && event.more,
  },
}).createMachine({
  id: 'account-deletion',
  context: ({ input }) => {
    const { at, ...rest } = input;
    return { ...rest, seq: 0, timers: {}, startedAt: at, completedAt: null, pendingEffectId: null, conversationsLeft: 0, messagesAnonymised: 0 };
  },
  initial: 'markingUser',
  states: {
    markingUser: {
      description: 'Marking the account as being deleted (sign-in refuses it) and ending every session',
      entry: ['beginStep', runEffect(MARK_USER_EFFECT)],
      on: {
        USER_MARKED: { guard: 'isCurrentEffect', target: 'leavingConversations', description: 'Marked; every session revoked (live sockets closed)' },
      },
    },
    leavingConversations: {
      description: 'Leaving every conversation, a batch at a time: an owned group passes to the earliest-joined member, a conversation left empty is closed',
      entry: ['beginStep', runEffect(LEAVE_CONVERSATIONS_EFFECT)],
      on: {
        CONVERSATIONS_LEFT: [
          { guard: 'hasMore', target: 'leavingConversations', reenter: true, actions: 'countConversations', description: 'A batch done; more may be left' },
          { guard: 'isCurrentEffect', target: 'anonymisingMessages', actions: 'countConversations', description: 'No membership left' },
        ],
      },
    },
    anonymisingMessages: {
      description: 'Turning the messages the account sent into tombstones (no body, the deleted-user id), a batch at a time',
      entry: ['beginStep', runEffect(ANONYMISE_MESSAGES_EFFECT)],
      on: {
        MESSAGES_ANONYMISED: [
          { guard: 'hasMore', target: 'anonymisingMessages', reenter: true, actions: 'countMessages', description: 'A batch done; more may be left' },
          { guard: 'isCurrentEffect', target: 'deletingProfile', actions: 'countMessages', description: 'No message of the account left' },
        ],
      },
    },
    deletingProfile: {
      description: 'Deleting the user (the address is free again), devices, sessions, read markers and the account’s finished sagas',
      entry: ['beginStep', runEffect(DELETE_PROFILE_EFFECT)],
      on: {
        PROFILE_DELETED: {
          guard: 'isCurrentEffect',
          target: 'completed',
          description: 'Nothing personal left; the notice goes out in the same transition',
          actions: [
            {
              type: 'saga.send',
              params: ({ context, event }) => ({
                queue: ACCOUNT_NOTICE_QUEUE,
                requestId: 'notice',
                oneWay: true,
                body: {
                  noticeId: `account-deletion-${context.deletionId}`,
                  kind: 'account-deleted',
                  email: context.email!,
                  nickname: context.nickname!,
                  preferredLanguage: context.preferredLanguage!,
                  at: event.at,
                } satisfies AccountNotice,
              }),
            },
            'forgetPerson',
          ],
        },
      },
    },
    completed: { type: 'final', description: 'The account is gone; its former address was told' },
  },
});

export type AccountDeletionMachine = typeof accountDeletionMachine;
