import { fmt, formatTable } from './bench.stats.js';
import type { LoadOptions, LoadResult } from './load.runner.js';
import type { CommandTally } from './mongo.profile.js';

export interface BenchRun {
  name: string;
  kind: 'baseline' | 'registration';
  result: LoadResult;
  notes?: Record<string, number>;
  /** With --profile: the backend's MongoDB commands per completed registration. */
  mongoPerOperation?: Record<string, CommandTally>;
}

export interface BenchTarget {
  name: string;
  ratio: number;
  /** The ratio must be at least this. */
  target: number;
  pass: boolean;
}

export interface BenchReport {
  date: string;
  machine: {
    cpu: string;
    cores: number;
    platform: string;
    node: string;
    uvThreadpoolSize: number;
    /** 1-minute load average when the bench started and ended (well above 0 = a shared machine). */
    loadAverage1m: { before: number; after: number };
  };
  options: Omit<LoadOptions, 'signal'> & { sweep: number[] };
  runs: BenchRun[];
  targets: BenchTarget[];
}

const pair = (r: LoadResult, phase: string): string => {
  const l = r.latencies[phase];
  return l === undefined ? '-' : `${fmt(l.p50)} / ${fmt(l.p99)}`;
};

export function renderReport(report: BenchReport): string {
  const { machine, options } = report;
  const header = [
    `AshChat registration benchmark, ${report.date}`,
    `${machine.cpu}, ${machine.cores} cores, ${machine.platform}, Node ${machine.node}, UV_THREADPOOL_SIZE=${machine.uvThreadpoolSize}`,
    `load average (1 min) ${fmt(machine.loadAverage1m.before, 2)} before, ${fmt(machine.loadAverage1m.after, 2)} after`,
    `each run: ${options.warmupMs} ms warm-up, then ${options.durationMs} ms measured (closed loop)`,
  ].join('\n');
  const rows = [
    ['run', 'conc', 'ops/s', 'done', 'failed', 'total p50/p99 ms', 'register p50/p99', 'mail p50/p99', 'verify p50/p99'],
    ...report.runs.map(({ name, result: r }) => [
      name,
      String(r.concurrency),
      fmt(r.perSecond, 1),
      String(r.completed),
      String(r.failed),
      pair(r, 'total'),
      pair(r, 'register'),
      pair(r, 'mail'),
      pair(r, 'verify'),
    ]),
  ];
  const targets = formatTable([
    ['target', 'ratio', 'needed', 'result'],
    ...report.targets.map((t) => [
      t.name,
      fmt(t.ratio, 2),
      `>= ${fmt(t.target, 2)}`,
      t.pass ? 'PASS' : `MISS (${fmt((t.ratio / t.target) * 100, 0)}% of target)`,
    ]),
  ]);
  const errors = report.runs
    .filter((r) => r.result.firstError !== undefined)
    .map((r) => `first error in "${r.name}" (c=${r.result.concurrency}): ${r.result.firstError}`);
  const notes = report.runs
    .filter((r) => r.notes !== undefined)
    .map((r) => `${r.name} c=${r.result.concurrency}: ${Object.entries(r.notes!).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  const profiles = report.runs
    .filter((r) => r.mongoPerOperation !== undefined)
    .map((r) => {
      const entries = Object.entries(r.mongoPerOperation!).sort(([, a], [, b]) => b.ms - a.ms);
      const total = entries.reduce((acc, [, t]) => ({ count: acc.count + t.count, ms: acc.ms + t.ms }), { count: 0, ms: 0 });
      const list = entries.map(([name, t]) => `${name} ${fmt(t.count)} (${fmt(t.ms)} ms)`).join(', ');
      return `MongoDB per registration, ${r.name} c=${r.result.concurrency}: ${fmt(total.count)} commands, ${fmt(total.ms)} ms summed; ${list}`;
    });
  return [
    header,
    '',
    formatTable(rows),
    '',
    targets,
    '',
    ...notes,
    ...(profiles.length ? ['', ...profiles] : []),
    ...(errors.length ? ['', ...errors] : []),
  ].join('\n');
}
