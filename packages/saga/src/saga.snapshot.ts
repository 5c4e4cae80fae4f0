import { createActor, type AnyStateMachine, type SnapshotFrom } from 'xstate';
import type { SagaTimers } from './saga.kit.js';
import type { PersistedSnapshot } from './saga.types.js';

/**
 * Rebuilds a machine snapshot from its persisted JSON the way xstate documents it
 * (`createActor(machine, { snapshot })`); the actor is never started, so nothing runs.
 */
export function restoreSnapshot<M extends AnyStateMachine>(machine: M, persisted: PersistedSnapshot): SnapshotFrom<M> {
  const create = createActor as unknown as (m: M, o: { snapshot: unknown }) => { getSnapshot(): unknown };
  return create(machine, { snapshot: persisted }).getSnapshot() as SnapshotFrom<M>;
}

export function persistSnapshot(machine: AnyStateMachine, snapshot: unknown): { persisted: PersistedSnapshot; json: string } {
  const persisted = machine.getPersistedSnapshot(snapshot as never) as unknown as PersistedSnapshot;
  return { persisted, json: JSON.stringify(persisted) };
}

export function parsePersisted(json: string): PersistedSnapshot {
  return JSON.parse(json) as PersistedSnapshot;
}

/** `'a'` → `a`, `{ a: 'b' }` → `a.b`, parallel `{ a: 'x', b: 'y' }` → `a.x,b.y`. */
export function stateToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => {
        const inner = stateToString(v);
        return inner ? `${k}.${inner}` : k;
      })
      .join(',');
  }
  return '';
}

/** Timers live in `context.timers` by convention (see saga.kit.ts); final sagas have none. */
export function readTimers(snapshot: { context: unknown; status: string }): SagaTimers {
  if (snapshot.status !== 'active') return {};
  const ctx = snapshot.context as { timers?: SagaTimers } | undefined;
  return ctx?.timers ?? {};
}

export function earliestDeadline(timers: SagaTimers): number | null {
  const ats = Object.values(timers).map((t) => t.at);
  return ats.length === 0 ? null : Math.min(...ats);
}
