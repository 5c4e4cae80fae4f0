/**
 * Test-only: model-based walking of a saga machine (excluded from the build). `walkEveryPath`
 * enumerates every simple path with xstate/graph, then replays each with the pure `transition`,
 * materialising each event against the ACTUAL snapshot (ids and tokens are per path), so the tests
 * can check properties of whole paths: end state, effects emitted, states and edges covered.
 */
import { validationReason } from '@ashchat/messaging';
import type { TSchema } from '@sinclair/typebox';
import { listStates, listTransitions } from '@ashchat/saga';
import type { Test } from 'tap';
import { initialTransition, transition, type AnyStateMachine } from 'xstate';
import { getSimplePaths } from 'xstate/graph';

export interface EmittedAction {
  type: string;
  params?: unknown;
}

/** Only the actions the saga runtime acts on, as `{ type, params }` (assigns are already applied). */
export const sagaEffects = (actions: EmittedAction[]): EmittedAction[] =>
  actions.filter((a) => a.type.startsWith('saga.')).map((a) => ({ type: a.type, params: a.params }));

/** `begin(overrides)` and `step(snapshot, event)` with the pure xstate functions, typed for one machine. */
export function machineDriver<S, E, I>(machine: AnyStateMachine, input: (overrides?: Partial<I>) => I) {
  return {
    begin: (overrides: Partial<I> = {}): [S, EmittedAction[]] => initialTransition(machine, input(overrides)) as unknown as [S, EmittedAction[]],
    step: (snapshot: S, event: E): [S, EmittedAction[]] => transition(machine, snapshot as never, event as never) as unknown as [S, EmittedAction[]],
  };
}

/** A representative event computed from the snapshot it is sent in, or null where it makes no sense. */
export type Generator<S, E> = (s: S) => E | null;

export interface PathRun<S> {
  /** The generator names of the path's events, in order. */
  gens: string[];
  /** The end state xstate/graph computed for the path (compare with `end`). */
  graphEnd: S;
  end: S;
  /** Every snapshot along the path, the initial one first. */
  visited: S[];
  effects: EmittedAction[];
  /** `from|EVENT|to` per step. */
  edges: string[];
}

export interface WalkOptions<S, E> {
  input: unknown;
  generators: Record<string, Generator<S, E>>;
  /** Only what matters for the flow: ids, tokens and times would make the state space infinite. */
  serializeState: (s: S) => string;
}

/** Every simple path of `machine` (events: all the generators applicable in each state), replayed. */
export function walkEveryPath<S extends { value: unknown }, E extends { type: string }>(machine: AnyStateMachine, { input, generators, serializeState }: WalkOptions<S, E>): PathRun<S>[] {
  type Tagged = E & { gen: string };
  const events = (s: S): Tagged[] =>
    Object.entries(generators).flatMap(([gen, make]) => {
      const e = make(s);
      return e ? [{ ...e, gen }] : [];
    });
  // The cast: xstate/graph's option types follow the concrete machine, which this helper does not know.
  const paths = getSimplePaths(machine, { input, events, serializeState } as never);
  return paths.map((p) => {
    // Paths start with an `xstate.init` step; each later step is (state after, event).
    const gens = p.steps.slice(1).map((st) => (st.event as unknown as Tagged).gen);
    let [s, actions] = initialTransition(machine, input) as unknown as [S, EmittedAction[]];
    const visited = [s];
    const effects = sagaEffects(actions);
    const edges: string[] = [];
    for (const gen of gens) {
      const event = generators[gen]!(s);
      if (!event) throw new Error(`generator ${gen} not applicable in ${String(s.value)}`);
      const from = String(s.value);
      [s, actions] = transition(machine, s as never, event as never) as unknown as [S, EmittedAction[]];
      edges.push(`${from}|${event.type}|${String(s.value)}`);
      effects.push(...sagaEffects(actions));
      visited.push(s);
    }
    return { gens, graphEnd: p.state as unknown as S, end: s, visited, effects, edges };
  });
}

/** At least `minPaths` paths; every state of the chart ends some path; every transition is taken by one. */
export function checkCoverage<S extends { value: unknown }>(t: Test, machine: AnyStateMachine, runs: PathRun<S>[], minPaths: number): void {
  t.ok(runs.length > minPaths, `${runs.length} simple paths`);
  const reached = new Set(runs.map((r) => String(r.end.value)));
  for (const state of listStates(machine)) t.ok(reached.has(state.path), `state ${state.path} reached`);
  const taken = new Set(runs.flatMap((r) => r.edges));
  for (const tr of listTransitions(machine)) {
    for (const target of tr.targets) {
      t.ok(taken.has(`${tr.source}|${tr.event}|${target}`), `edge ${tr.source} --${tr.event}${tr.guard ? ` [${tr.guard}]` : ''}--> ${target}`);
    }
  }
}

/** The paths whose replay ended elsewhere than xstate/graph said (their generator names). */
export const replayMismatches = <S>(runs: PathRun<S>[], serializeState: (s: S) => string): string[][] =>
  runs.filter((r) => serializeState(r.end) !== serializeState(r.graphEnd)).map((r) => r.gens);

export interface SentMessage {
  queue: string;
  requestId?: string;
  oneWay?: boolean;
  body: unknown;
}

/** The `saga.send` effects of a run (optionally only those to one queue). */
export const sendsOf = (run: { effects: EmittedAction[] }, queue?: string): SentMessage[] =>
  run.effects
    .filter((e) => e.type === 'saga.send')
    .map((e) => e.params as SentMessage)
    .filter((m) => !queue || m.queue === queue);

/** The `saga.effect` effects of a run (optionally only those of one name). */
export const effectsOf = (run: { effects: EmittedAction[] }, name?: string): Array<{ name: string; effectId?: string; payload?: unknown }> =>
  run.effects
    .filter((e) => e.type === 'saga.effect')
    .map((e) => e.params as { name: string; effectId?: string; payload?: unknown })
    .filter((p) => !name || p.name === name);

/** Every message sent on any path checked against the saga's declared contract for its queue. */
export function contractProblems<S>(runs: PathRun<S>[], messages: Readonly<Record<string, TSchema>>): string[] {
  const problems = new Set<string>();
  for (const run of runs) {
    for (const { queue, body } of sendsOf(run)) {
      const schema = messages[queue];
      const reason = schema ? validationReason(schema, body) : `undeclared queue ${queue}`;
      if (reason) problems.add(`${queue}: ${reason}`);
    }
  }
  return [...problems];
}

/** Paths on which a request id repeats, or a (request/reply) body's requestId differs from the send's. */
export const requestIdProblems = <S>(runs: PathRun<S>[]): string[][] =>
  runs
    .filter((run) => {
      const sends = sendsOf(run);
      const bodyIdWrong = sends.some((s) => !s.oneWay && (s.body as { requestId?: string }).requestId !== s.requestId);
      return new Set(sends.map((s) => s.requestId)).size !== sends.length || bodyIdWrong;
    })
    .map((r) => r.gens);
