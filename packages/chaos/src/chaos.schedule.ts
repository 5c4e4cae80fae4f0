// The fault schedule of a run: a pure function of the seed, so the same seed injects the same
// faults at the same offsets.
import { createRng, randomInt } from './chaos.random.js';

export const FAULT_KINDS = ['backend-kill', 'verifier-kill', 'translator-kill', 'amqp-close', 'redis-kill', 'db-stop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface PlannedFault {
  kind: FaultKind;
  /** The process killed (backend-kill, verifier-kill, translator-kill). */
  target?: string;
  /** Offset from the start of the load phase. */
  atMs: number;
  /** How long the process / database stays down before it is started again. */
  downMs: number;
}

export interface ScheduleOptions {
  seed: number;
  /** Length of the load phase; faults are spread over it, none in its last 15 %. */
  loadMs: number;
  backends: readonly string[];
  quick: boolean;
}

/** Salt so the schedule's PRNG is not the same stream as the loads'. */
const SCHEDULE_SALT = 0x5eed_fa17;

/**
 * A full run kills every backend once, the verifier and the translator once, closes the AMQP
 * connections, kills the Redis clients and stops the database — each at least once, in a seeded
 * order. A quick run injects one of each kind, with a seeded backend.
 */
export function planFaults(o: ScheduleOptions): PlannedFault[] {
  const rng = createRng((o.seed ^ SCHEDULE_SALT) >>> 0);
  type Item = { kind: FaultKind; target?: string };
  const items: Item[] = o.quick
    ? [
        { kind: 'backend-kill', target: o.backends[randomInt(rng, 0, o.backends.length - 1)] },
        { kind: 'verifier-kill', target: 'verifier' },
        { kind: 'translator-kill', target: 'translator' },
        { kind: 'amqp-close' },
        { kind: 'redis-kill' },
        { kind: 'db-stop' },
      ]
    : [
        ...o.backends.map((b): Item => ({ kind: 'backend-kill', target: b })),
        { kind: 'verifier-kill', target: 'verifier' },
        { kind: 'translator-kill', target: 'translator' },
        { kind: 'amqp-close' },
        { kind: 'amqp-close' },
        { kind: 'redis-kill' },
        { kind: 'redis-kill' },
        { kind: 'db-stop' },
      ];
  // Fisher–Yates with the seeded PRNG.
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = randomInt(rng, 0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  const start = Math.round(o.loadMs * 0.1);
  const slot = (o.loadMs * 0.85 - start) / items.length;
  return items.map((item, i) => ({
    ...item,
    // Somewhere in the first half of its slot, so the previous fault had time to recover.
    atMs: Math.round(start + i * slot + rng() * slot * 0.5),
    downMs: item.kind === 'db-stop' ? randomInt(rng, o.quick ? 2_000 : 3_000, o.quick ? 3_000 : 6_000) : item.kind.endsWith('-kill') && item.kind !== 'redis-kill' ? randomInt(rng, 300, 1_500) : 0,
  }));
}
