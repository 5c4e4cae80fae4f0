/** A tiny saga used only by the runtime's tests (deliberately not registration). */
import { Type } from '@sinclair/typebox';
import { assign, setup } from 'xstate';
import { defineSaga } from './saga.define.js';
import {
  armTimers,
  disarmTimers,
  nextSeq,
  sagaActions,
  sagaGuards,
  type SagaKitContext,
  type SagaTimeoutEvent,
} from './saga.kit.js';

export const PingRequest = Type.Object(
  { sagaId: Type.String(), requestId: Type.String(), text: Type.String() },
  { additionalProperties: false },
);
export const PongReply = Type.Object({ requestId: Type.String(), ok: Type.Boolean() }, { additionalProperties: false });

export interface Ctx extends SagaKitContext {
  sagaId: string;
  text: string;
  timeoutMs: number;
  pendingRequestId: string | null;
  stamps: number;
}
export type Ev =
  | { type: 'PONG'; requestId: string; at: number }
  | { type: 'APPROVE'; at: number }
  | { type: 'REARM'; at: number }
  | { type: 'STAMP'; at: number }
  | { type: 'STAMPED'; stampId: string; at: number }
  | SagaTimeoutEvent;
export interface Input {
  sagaId: string;
  text: string;
  timeoutMs: number;
  at: number;
}

/** `queue` is per test file so parallel tests never share a queue. `inlineStamp`: the stamp effect runs inline. */
export function createTestMachine(queue: string, opts: { inlineStamp?: boolean } = {}) {
  return setup({
    types: { context: {} as Ctx, events: {} as Ev, input: {} as Input },
    actions: { ...sagaActions },
    guards: {
      ...sagaGuards,
      isPending: ({ context, event }) => 'requestId' in event && event.requestId === context.pendingRequestId,
    },
  }).createMachine({
    id: 'ping',
    context: ({ input }) => ({
      sagaId: input.sagaId,
      text: input.text,
      timeoutMs: input.timeoutMs,
      pendingRequestId: null,
      stamps: 0,
      ...armTimers({ seq: 0, timers: {} }, { deadline: input.at + input.timeoutMs }),
    }),
    initial: 'waiting',
    states: {
      waiting: {
        description: 'Ping sent, waiting for the pong',
        entry: [
          assign({ pendingRequestId: ({ context }) => `r${nextSeq(context)}`, seq: ({ context }) => nextSeq(context) }),
          {
            type: 'saga.send',
            params: ({ context }) => ({
              queue,
              requestId: context.pendingRequestId!,
              body: { sagaId: context.sagaId, requestId: context.pendingRequestId!, text: context.text },
            }),
          },
        ],
        on: {
          PONG: { guard: 'isPending', target: 'ponged', actions: assign({ pendingRequestId: null }) },
          APPROVE: { target: 'approved' },
          REARM: {
            actions: assign(({ context, event }) => armTimers(context, { deadline: event.at + context.timeoutMs })),
          },
          'saga.timeout': { guard: { type: 'timerDue', params: { timer: 'deadline' } }, target: 'timedOut' },
        },
      },
      approved: {
        on: {
          STAMP: {
            target: 'stamping',
            actions: [
              assign({ seq: ({ context }) => nextSeq(context) }),
              {
                type: 'saga.effect',
                params: ({ context }) => ({ name: 'stamp', effectId: `e${context.seq}`, payload: { text: context.text }, ...(opts.inlineStamp ? { inline: true } : {}) }),
              },
            ],
          },
          'saga.timeout': { guard: { type: 'timerDue', params: { timer: 'deadline' } }, target: 'timedOut' },
        },
      },
      stamping: {
        entry: assign(({ context }) => disarmTimers(context)),
        on: { STAMPED: { target: 'stamped', actions: assign({ stamps: ({ context }) => context.stamps + 1 }) } },
      },
      ponged: { type: 'final', entry: assign(({ context }) => disarmTimers(context)) },
      stamped: { type: 'final' },
      timedOut: { type: 'final', entry: assign(({ context }) => disarmTimers(context)) },
    },
  });
}

export function createTestSaga(name: string, queue: string, opts: { inlineStamp?: boolean } = {}) {
  return defineSaga({
    name,
    version: 1,
    machine: createTestMachine(queue, opts),
    status: (s) => ({ state: String(s.value), stamps: s.context.stamps }),
    index: (s) => ({ text: s.context.text }),
    indexedFields: ['text'],
    messages: { [queue]: PingRequest },
    timerNames: ['deadline'],
    replyToEvent: (body, { requestId }) => {
      const b = body as { requestId?: unknown; ok?: unknown };
      return b && b.requestId === requestId && b.ok === true ? { type: 'PONG' as const, requestId } : null;
    },
  });
}
