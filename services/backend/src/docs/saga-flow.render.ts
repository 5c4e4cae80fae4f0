/**
 * A Mermaid sequence diagram of a saga's message flow, derived from the machine (which state sends
 * what, which events come from the client) and the contracts' messaging catalogue (who receives a
 * request, what the receiver does, which reply comes back where).
 */
import { MESSAGING_APPLICATIONS, catalogueQueue } from '@ashchat/contracts';
import type { TSchema } from '@sinclair/typebox';
import { describeStateOutputs, listTransitions } from '@ashchat/saga';
import type { SagaDocEntry } from './saga-docs.registry.js';

export interface ReplyOrigin {
  /** `$id` of the reply schema variant, e.g. AccountCreationReply. */
  message: string;
  outcome: string;
}

/** A body with every required property present; only shape matters to `replyToEvent`. */
function sampleBody(variant: TSchema, outcome: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries((variant.properties ?? {}) as Record<string, TSchema>)) {
    body[key] = prop.type === 'integer' || prop.type === 'number' ? 0 : prop.type === 'boolean' ? false : 'x';
  }
  return { ...body, requestId: 'r1', outcome };
}

/**
 * Which machine event each reply outcome becomes, found by running the saga's own `replyToEvent`
 * on one sample per outcome of every variant of the reply schema.
 */
export function replyOrigins(entry: SagaDocEntry): Map<string, ReplyOrigin> {
  const origins = new Map<string, ReplyOrigin>();
  if (!entry.replies) return origins;
  const variants = ((entry.replies.schema.anyOf as TSchema[] | undefined) ?? [entry.replies.schema]) as TSchema[];
  for (const variant of variants) {
    const outcome = (variant.properties as Record<string, TSchema> | undefined)?.outcome;
    const literals = ((outcome?.anyOf as TSchema[] | undefined) ?? (outcome ? [outcome] : [])).map((l) => l.const as string);
    for (const literal of literals) {
      const event = entry.definition.replyToEvent(sampleBody(variant, literal), { requestId: 'r1' });
      if (event) origins.set(event.type, { message: String(variant.$id ?? 'reply'), outcome: literal });
    }
  }
  return origins;
}

/** Mermaid ends a message at `;` and a `#` starts an entity code: keep free text plain. */
const text = (s: string): string => s.replace(/\s+/g, ' ').replace(/[;#]/g, ',');

export function renderSagaFlow(entry: SagaDocEntry): string {
  const def = entry.definition;
  const transitions = listTransitions(def.machine);
  const origins = replyOrigins(entry);
  const initial = (def.machine.root as unknown as { initial?: { target: { key: string }[] } }).initial?.target[0]?.key;
  const lines = [
    'sequenceDiagram',
    '  autonumber',
    '  actor Client',
    '  participant B as backend',
    '  participant M as MongoDB',
    '  participant R as Redis',
    '  participant Q as RabbitMQ',
    '  participant V as verifier',
    '  participant S as SMTP',
    `  Note over B,M: ${text(`every step of saga ${def.name}: load, transition(), ONE conditional update (snapshot + outbox), then publish`)}`,
  ];
  if (def.timerNames.length > 0) lines.push(`  Note over B,R: ${text(`timers ${def.timerNames.join(', ')} are Redis keys with a TTL; their expiry events (or the sweep) time the saga out`)}`);

  for (const state of describeStateOutputs(def.machine)) {
    const steps = [
      ...state.onEntry.map((output) => ({ trigger: undefined as string | undefined, output })),
      ...state.onEvent.flatMap((e) => e.outputs.map((output) => ({ trigger: e.event, output }))),
    ];
    for (const { trigger, output } of steps) {
      const meaning = trigger ? transitions.find((t) => t.event === trigger && t.description)?.description : undefined;
      if (!trigger && state.state === initial) lines.push(`  Client->>B: ${text(`start the ${def.name} saga (${state.state})`)}`);
      else if (trigger && !origins.has(trigger)) lines.push(`  Client->>B: ${text(`${trigger}${meaning ? `: ${meaning}` : ''}`)}`);
      const targets = trigger ? transitions.find((t) => t.source === state.state && t.event === trigger)?.targets ?? [] : [];
      const change = trigger ? `${trigger}: ${state.state} → ${targets.join(', ') || state.state}` : `entering ${state.state}`;
      lines.push(`  B->>M: ${text(`persist ${change}, with the outbox entry`)}`);
      if (output.kind === 'effect') {
        lines.push(`  B->>M: ${text(`effect ${output.name} (idempotent), its result event is the next step`)}`);
        continue;
      }
      const queue = catalogueQueue(output.queue);
      for (const message of queue.messages) {
        lines.push(`  B->>Q: ${text(`${message.schema.$id} to ${queue.name} (replyTo, correlationId sagaId:requestId)`)}`);
        for (const receiver of queue.receivers) {
          lines.push(`  Q->>V: ${text(`deliver to ${receiver}`)}`);
          lines.push(`  Note over V,S: ${text(queue.description)}`);
        }
        if (!message.reply) continue;
        const outcomes = [...origins].filter(([, o]) => o.message === message.reply!.schema.$id).map(([event, o]) => `${o.outcome} → ${event}`);
        lines.push(`  V->>Q: ${text(`${message.reply.schema.$id} to replyTo (${message.reply.queue}), same correlationId`)}`);
        lines.push(`  Q->>B: ${text(`any backend instance applies it: ${outcomes.join(', ')}`)}`);
        lines.push(`  B->>M: ${text('persist the reply’s transition (stale or duplicate replies change nothing)')}`);
      }
    }
  }
  lines.push(`  Note over V: ${text(`verifier: ${MESSAGING_APPLICATIONS.verifier}`)}`);
  return `${lines.join('\n')}\n`;
}
