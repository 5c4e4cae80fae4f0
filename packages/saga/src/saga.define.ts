import type { AnyStateMachine } from 'xstate';
import { SagaDefinitionError } from './saga.errors.js';
import type { SagaDefinition } from './saga.types.js';

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const TIMER_NAME = /^[A-Za-z0-9_-]+$/;

interface WalkableNode {
  id: string;
  type: string;
  states: Record<string, WalkableNode>;
  after: unknown[];
  invoke: unknown[];
}

/**
 * Checks the rules the durable runtime depends on and returns the definition unchanged:
 * no `after` (delayed transitions are not restored from snapshots — use saga timers), no invoked
 * or history states (children and history cannot be re-created from our stored JSON).
 */
export function defineSaga<M extends AnyStateMachine, TStatus, TIndex = undefined>(
  def: SagaDefinition<M, TStatus, TIndex>,
): SagaDefinition<M, TStatus, TIndex> {
  if (!NAME.test(def.name)) throw new SagaDefinitionError(`saga name "${def.name}" must match ${NAME}`);
  if (!Number.isInteger(def.version) || def.version < 1) {
    throw new SagaDefinitionError(`saga ${def.name}: version must be a positive integer`);
  }
  for (const t of def.timerNames) {
    if (!TIMER_NAME.test(t)) throw new SagaDefinitionError(`saga ${def.name}: timer name "${t}" must match ${TIMER_NAME}`);
  }
  const visit = (node: WalkableNode): void => {
    if (node.after.length > 0) {
      throw new SagaDefinitionError(`saga ${def.name}: state ${node.id} uses "after"; use saga timers (armTimers) instead`);
    }
    if (node.invoke.length > 0) throw new SagaDefinitionError(`saga ${def.name}: state ${node.id} invokes an actor`);
    if (node.type === 'history') throw new SagaDefinitionError(`saga ${def.name}: history state ${node.id} is not supported`);
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(def.machine.root as unknown as WalkableNode);
  return def;
}
