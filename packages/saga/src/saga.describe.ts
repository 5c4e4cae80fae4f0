import type { AnyStateMachine } from 'xstate';
import { SAGA_EFFECT, SAGA_SEND } from './saga.kit.js';

/** What a state makes the runtime do: publish to a queue, or run a local effect. */
export type SagaOutput = { kind: 'message'; queue: string } | { kind: 'effect'; name: string };

export interface StateOutputs {
  /** Dotted state path. */
  state: string;
  /** Sent when the state is entered. */
  onEntry: SagaOutput[];
  /** Sent by a transition leaving (or staying in) the state, by event. */
  onEvent: { event: string; outputs: SagaOutput[] }[];
}

interface Node {
  path: string[];
  entry?: readonly unknown[];
  states: Record<string, Node>;
  transitions: Map<string, readonly { eventType: string; actions?: readonly unknown[] }[]>;
}

/**
 * A value that is every value: property reads, calls and template literals all succeed. Action
 * params are functions of (context, event); calling them with this reads the queue or effect name
 * (module constants) without a real snapshot — the rest of the body is never looked at.
 */
function anything(): unknown {
  const target = function () {} as unknown as object;
  const proxy: unknown = new Proxy(target, {
    get: (_t, key) => (key === Symbol.toPrimitive ? () => 'x' : proxy),
    apply: () => proxy,
  });
  return proxy;
}

function outputOf(action: unknown): SagaOutput | undefined {
  const a = action as { type?: unknown; params?: unknown } | null;
  if (!a || typeof a !== 'object' || (a.type !== SAGA_SEND && a.type !== SAGA_EFFECT)) return undefined;
  let params = a.params;
  if (typeof params === 'function') {
    try {
      params = (params as (args: unknown) => unknown)({ context: anything(), event: anything() });
    } catch {
      return undefined;
    }
  }
  const p = params as { queue?: unknown; name?: unknown } | undefined;
  if (a.type === SAGA_SEND && typeof p?.queue === 'string') return { kind: 'message', queue: p.queue };
  if (a.type === SAGA_EFFECT && typeof p?.name === 'string') return { kind: 'effect', name: p.name };
  return undefined;
}

const outputs = (actions: readonly unknown[] | undefined): SagaOutput[] =>
  (actions ?? []).map(outputOf).filter((o): o is SagaOutput => o !== undefined);

/** The messages and effects of every state, read from the machine's own action objects. */
export function describeStateOutputs(machine: AnyStateMachine): StateOutputs[] {
  const out: StateOutputs[] = [];
  const visit = (n: Node): void => {
    if (n.path.length > 0) {
      out.push({
        state: n.path.join('.'),
        onEntry: outputs(n.entry),
        onEvent: [...n.transitions.values()]
          .flat()
          .map((t) => ({ event: t.eventType, outputs: outputs(t.actions) }))
          .filter((e) => e.outputs.length > 0),
      });
    }
    for (const child of Object.values(n.states)) visit(child);
  };
  visit(machine.root as unknown as Node);
  return out;
}
