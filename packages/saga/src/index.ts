/**
 * @ashchat/saga — durable XState v5 sagas without live actors.
 *
 * Per event: load the document → pure `transition(machine, snapshot, event)` → ONE conditional
 * update `{ _id, version }` writing snapshot, `version + 1`, projections and the transition's outbox
 * entries (dropping those completed since the last write) → publish/execute the new entries →
 * mirror timers into Redis → announce the change (`watch`).
 *
 * Machine side (pure, see saga.kit.ts): spread `sagaActions` / `sagaGuards` into `setup()`; emit
 *  - `{ type: 'saga.send', params: { queue, requestId, body } }` → AMQP message, correlationId
 *    `${sagaId}:${requestId}`, replyTo = runtime `replyQueue`, messageId = correlationId;
 *  - `{ type: 'saga.effect', params: { name, effectId, payload } }` → local idempotent handler
 *    `effects[name]`, whose returned event is sent back to the saga (`inline: true`: run before the
 *    write, its result stored in the same write; `compensations[name]` undoes a run never stored);
 *  - timers in context (`seq`, `timers: { [name]: { token, at } }`) via `armTimers` / `disarmTimers`;
 *    the runtime sends `{ type: 'saga.timeout', timer, token, at }`; guard with `timerDue(name)`.
 * Every event carries `at` (ms) from the runtime's clock. No `after`, no invoked actors.
 *
 * ```ts
 * const def = defineSaga({ name, version, machine, status, index, messages, replyToEvent, timerNames });
 * const rt = createSagaRuntime({ definition: def, collection, publisher, replyQueue, redis, subscriber,
 *   logger, writeLock, clock?, effects?, sweepIntervalMs?, relayIntervalMs?, relayGraceMs?, onTransition? });
 * await rt.startBackground();                        // indexes, expiry subscriber, sweep, relay
 * await rt.start(id, input)       // → { view, created }           (idempotent by id)
 * await rt.send(id, event)        // → { view, changed }           (throws SagaNotFoundError)
 * await rt.get(id)                // → view | null
 * rt.watch(id).next(ms)           // → { view? } once the saga changed (here or elsewhere), null on timeout
 * await rt.handleReply(correlationId, body) // → 'applied' | 'ignored' | 'unknown-saga' | 'malformed'
 * await rt.close();
 * toMermaid(machine)              // → Mermaid stateDiagram-v2 source
 * ```
 */
export { createSagaRuntime, type SagaRuntime } from './saga.runtime.js';
export type { SagaRuntimeOptions } from './saga.options.js';
export type { SagaChange, SagaWatch } from './saga.changes.js';
export { defineSaga } from './saga.define.js';
export {
  sagaActions,
  sagaGuards,
  armTimers,
  disarmTimers,
  isTimerDue,
  nextSeq,
  SAGA_SEND,
  SAGA_EFFECT,
  SAGA_TIMEOUT,
  type SagaKitContext,
  type SagaTimer,
  type SagaTimers,
  type SagaTimeoutEvent,
  type SagaSendParams,
  type SagaEffectParams,
} from './saga.kit.js';
export { SagaNotFoundError, SagaConflictError, SagaVersionError, SagaDefinitionError } from './saga.errors.js';
export { correlationIdOf, parseCorrelationId } from './saga.outbox.js';
export { toMermaid, listStates, listTransitions, describeGuard, type MachineState, type MachineTransition } from './saga.mermaid.js';
export { describeStateOutputs, type SagaOutput, type StateOutputs } from './saga.describe.js';
export type {
  SagaDefinition,
  AnySagaDefinition,
  SagaDocument,
  SagaView,
  SagaSendResult,
  SagaEventInput,
  SagaStartInput,
  SagaEffectHandler,
  SagaEffectResult,
  SagaEffectCompensation,
  SagaInlineRun,
  Logger,
  OutboxPublisher,
  OutboxSendProps,
  OutboxEntry,
  PersistedSnapshot,
  ReplyOutcome,
} from './saga.types.js';
