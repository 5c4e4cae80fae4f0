import { transition, type AnyStateMachine, type SnapshotFrom } from 'xstate';
import { buildOutbox, type OutboxContext } from './saga.outbox.js';
import type {
  AnySagaDefinition,
  Logger,
  OutboxEntry,
  SagaEffectCompensation,
  SagaEffectHandler,
  SagaEffectResult,
  SagaInlineRun,
  SagaView,
} from './saga.types.js';

/**
 * Inline effects (SagaEffectParams.inline): run inside the transition that asks for them, so their
 * result is stored in the same write, and undone (`compensations`) when that write never happens.
 */
export function createInlineEffects<M extends AnyStateMachine>(o: {
  machine: M;
  definition: AnySagaDefinition;
  effects: Record<string, SagaEffectHandler>;
  compensations: Record<string, SagaEffectCompensation>;
  logger: Logger;
}) {
  const { machine, logger, definition: def } = o;

  /**
   * Runs the transition's inline effects (SagaEffectParams.inline) before anything is stored, and
   * applies each result event to the snapshot the write will store. A failing run keeps its entry:
   * stored in the outbox, it runs as usual after the write (and from the relay).
   */
  async function run(sagaId: string, snapshot: SnapshotFrom<M>, entries: OutboxEntry[], ctx: OutboxContext, runs: SagaInlineRun[]) {
    let next = snapshot;
    let list = entries;
    let nextIndex = entries.length;
    const tried = new Set<OutboxEntry>();
    for (;;) {
      const entry = list.find((e): e is Extract<OutboxEntry, { kind: 'effect' }> => e.kind === 'effect' && e.inline === true && !tried.has(e));
      if (!entry) return { next, entries: list };
      tried.add(entry);
      let result: SagaEffectResult | null;
      try {
        result = await o.effects[entry.name]!(entry.payload, { sagaId, effectId: entry.effectId });
      } catch (err) {
        logger.warn({ sagaId, saga: def.name, effect: entry.name, err: String(err) }, 'inline saga effect failed; stored in the outbox instead');
        continue;
      }
      runs.push({ name: entry.name, effectId: entry.effectId, payload: entry.payload, result });
      list = list.filter((e) => e !== entry);
      if (!result) continue;
      const [after, actions] = transition(machine, next as never, { ...result, at: ctx.now } as never) as [SnapshotFrom<M>, { type: string; params?: unknown }[]];
      const more = buildOutbox(actions, { ...ctx, firstIndex: nextIndex });
      nextIndex += more.length;
      next = after;
      list = [...list, ...more];
    }
  }

  /**
   * Inline runs of earlier attempts whose transitions were never stored (the saga changed under
   * them) and that the stored outcome did not run again: their compensations decide, from the saga
   * as stored, whether the work must go. Never throws.
   */
  async function compensate(sagaId: string, runs: SagaInlineRun[], stored: SagaInlineRun[], view: SagaView): Promise<void> {
    const storedIds = new Set(stored.map((r) => `${r.name}:${r.effectId}`));
    for (const run of runs) {
      if (stored.includes(run) || storedIds.has(`${run.name}:${run.effectId}`)) continue;
      const undo = o.compensations[run.name];
      if (!undo) {
        logger.warn({ sagaId, saga: def.name, effect: run.name }, 'inline saga effect ran but its transition was not stored, and nothing undoes it');
        continue;
      }
      try {
        await undo(run, view);
      } catch (err) {
        logger.warn({ sagaId, saga: def.name, effect: run.name, err: String(err) }, 'inline saga effect compensation failed');
      }
    }
  }

  return { run, compensate };
}
