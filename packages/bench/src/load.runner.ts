import { performance } from 'node:perf_hooks';
import { summarise, type LatencySummary } from './bench.stats.js';

/**
 * One unit of work. It returns the latency (ms) of each phase it wants reported, e.g.
 * `{ register: 12.3, verify: 8.1 }`; the runner adds `total`.
 */
export type Operation = () => Promise<Record<string, number> | void>;

export interface LoadOptions {
  /** Operations in flight at once (closed loop: each worker starts the next when one ends). */
  concurrency: number;
  /** Measured window. Operations started before its end are awaited and counted. */
  durationMs: number;
  /** Unrecorded run before the window: JIT, connection pools, caches, index pages. */
  warmupMs: number;
  /** Ends the run early (Ctrl-C); runLoad then rejects so callers clean up and stop. */
  signal?: AbortSignal;
}

export interface LoadResult {
  concurrency: number;
  completed: number;
  failed: number;
  /** From the window's start until the last operation ended. */
  elapsedMs: number;
  /** completed ÷ elapsed. */
  perSecond: number;
  latencies: Record<string, LatencySummary>;
  /** The first failure's message, so a broken run is visible instead of only slow. */
  firstError?: string;
}

interface Phase {
  completed: number;
  failed: number;
  samples: Map<string, number[]>;
  firstError?: string;
}

async function runPhase(
  op: Operation,
  concurrency: number,
  durationMs: number,
  signal: AbortSignal | undefined,
): Promise<Phase & { elapsedMs: number }> {
  const phase: Phase = { completed: 0, failed: 0, samples: new Map() };
  const start = performance.now();
  const end = start + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < end && signal?.aborted !== true) {
      const t0 = performance.now();
      try {
        const phases = (await op()) ?? {};
        const total = performance.now() - t0;
        for (const [name, ms] of Object.entries({ ...phases, total })) {
          const list = phase.samples.get(name) ?? [];
          list.push(ms);
          phase.samples.set(name, list);
        }
        phase.completed += 1;
      } catch (error) {
        phase.failed += 1;
        phase.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ...phase, elapsedMs: performance.now() - start };
}

/** Warm-up, then a closed-loop run of `concurrency` workers for `durationMs`. */
export async function runLoad(op: Operation, o: LoadOptions): Promise<LoadResult> {
  if (o.warmupMs > 0) await runPhase(op, o.concurrency, o.warmupMs, o.signal);
  const phase = await runPhase(op, o.concurrency, o.durationMs, o.signal);
  o.signal?.throwIfAborted();
  const latencies = Object.fromEntries([...phase.samples].map(([name, list]) => [name, summarise(list)]));
  return {
    concurrency: o.concurrency,
    completed: phase.completed,
    failed: phase.failed,
    elapsedMs: phase.elapsedMs,
    perSecond: phase.completed / (phase.elapsedMs / 1000),
    latencies,
    ...(phase.firstError !== undefined ? { firstError: phase.firstError } : {}),
  };
}
