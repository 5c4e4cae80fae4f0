// The rows of the counts bench (counts.bench.ts) in the table of docs/benchmarks.md (no I/O here):
// database commands per operation against the targets, Redis commands and AMQP publishes
// reported beside them. The breakdown by command, process and queue stays in benchmarks.json.
import type { Figure, Target } from './bench.figures.js';
import type { CountsReport, CountedOperation } from './counts.bench.js';

/** Targets of issue #18: registration ≤ 5 database commands, a send ≤ 2 whatever the room size, a history page 1. */
const DB_TARGETS: Record<string, number> = { registration: 5, send10: 2, send100: 2, history: 1 };

const verdict = (target: Target | null, ours: number): boolean | null =>
  target === null ? null : target.op === '<=' ? ours <= target.value : ours >= target.value;

function row(o: CountedOperation, kind: 'db' | 'redis' | 'amqp', baseline: CountedOperation | undefined): Figure {
  const what = { db: 'database commands', redis: 'Redis commands', amqp: 'AMQP messages published' }[kind];
  const ours = o[kind].total;
  const limit = kind === 'db' ? DB_TARGETS[o.id] : undefined;
  const target: Target | null = limit === undefined ? null : { of: 'ours', op: '<=', value: limit };
  const base = baseline ? baseline[kind].total : null;
  return {
    id: `counts.${o.id}.${kind}`,
    bench: 'counts',
    figure: `Counts: ${what} per ${o.label} (mean of ${o.n})`,
    unit: kind === 'amqp' ? 'messages' : 'commands',
    ours,
    baseline: base,
    baselineLabel: baseline ? `the same in the ${baseline.label.replace(/^message sent to an? /, '').replace(/ \(REST\)$/, '')}` : 'none',
    ratio: base === null || base === 0 ? null : ours / base,
    target,
    pass: verdict(target, ours),
  };
}

export function countsFigures(r: CountsReport): Figure[] {
  const byId = new Map(r.operations.map((o) => [o.id, o]));
  return r.operations.flatMap((o) => {
    // The 100-member send is set beside the 10-member one: the target says "the same".
    const baseline = o.id === 'send100' ? byId.get('send10') : undefined;
    return (['db', 'redis', 'amqp'] as const).map((kind) => row(o, kind, baseline));
  });
}
