import { validationReason } from '@ashchat/messaging';
import { SAGA_EFFECT, SAGA_SEND, type SagaEffectParams, type SagaSendParams } from './saga.kit.js';
import { SagaDefinitionError } from './saga.errors.js';
import type { AnySagaDefinition, OutboxEntry } from './saga.types.js';

/** AMQP correlation id of a saga request; parsed back by `parseCorrelationId`. */
export const correlationIdOf = (sagaId: string, requestId: string): string => `${sagaId}:${requestId}`;

export function parseCorrelationId(correlationId: string | undefined): { sagaId: string; requestId: string } | null {
  if (!correlationId) return null;
  const cut = correlationId.lastIndexOf(':');
  if (cut <= 0 || cut === correlationId.length - 1) return null;
  return { sagaId: correlationId.slice(0, cut), requestId: correlationId.slice(cut + 1) };
}

export interface OutboxContext {
  sagaId: string;
  /** Version the transition will be stored as: makes entry ids unique within the saga. */
  version: number;
  now: number;
  replyQueue: string;
  definition: AnySagaDefinition;
  effectNames: ReadonlySet<string>;
  /** Index of the first entry's id (entries added to a transition's list continue its numbering). */
  firstIndex?: number;
}

/**
 * Turns the actions `transition()` returned into outbox entries. A body that does not match its
 * queue's schema or an unknown effect is a machine bug: it throws BEFORE anything is persisted,
 * instead of leaving an entry that could never be delivered.
 */
export function buildOutbox(actions: ReadonlyArray<{ type: string; params?: unknown }>, o: OutboxContext): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  for (const action of actions) {
    const id = `${o.version}-${(o.firstIndex ?? 0) + entries.length}`;
    if (action.type === SAGA_SEND) {
      const p = action.params as SagaSendParams;
      const schema = o.definition.messages[p.queue];
      if (!schema) throw new SagaDefinitionError(`saga ${o.definition.name} sent to undeclared queue ${p.queue}`);
      const reason = validationReason(schema, p.body);
      if (reason) throw new SagaDefinitionError(`saga ${o.definition.name}: body for ${p.queue}: ${reason}`);
      const correlationId = correlationIdOf(o.sagaId, p.requestId);
      entries.push({
        kind: 'message',
        id,
        queue: p.queue,
        requestId: p.requestId,
        body: p.body,
        correlationId,
        ...(p.oneWay ? {} : { replyTo: o.replyQueue }),
        messageId: correlationId,
        createdAt: o.now,
      });
    } else if (action.type === SAGA_EFFECT) {
      const p = action.params as SagaEffectParams;
      if (!o.effectNames.has(p.name)) {
        throw new SagaDefinitionError(`saga ${o.definition.name} requested unknown effect ${p.name}`);
      }
      entries.push({ kind: 'effect', id, name: p.name, effectId: p.effectId, payload: p.payload, createdAt: o.now, ...(p.inline ? { inline: true } : {}) });
    }
    // Any other action (assign is already applied, xstate.log…) has no effect outside the machine.
  }
  return entries;
}

export const encodeEntry = (e: OutboxEntry): string => JSON.stringify(e);
export const decodeEntry = (s: string): OutboxEntry => JSON.parse(s) as OutboxEntry;
