// The generated part of docs/benchmarks.md: one table of every figure, between two markers, so the
// hand-written analysis around it survives every run (no I/O here).
import type { BenchName, Figure, Target } from './bench.figures.js';

export const TABLE_START = '<!-- bench:table:start -->';
export const TABLE_END = '<!-- bench:table:end -->';
export const TABLE_HEADER = '| figure | ours | baseline | ratio | target | result | started (UTC), load |';

export interface BenchOutcome {
  status: 'ok' | 'failed' | 'skipped';
  startedAt?: string;
  durationMs?: number;
  /** 1-minute load average before and after this bench. */
  loadAverage1m?: { before: number; after: number };
  args?: string[];
  error?: string;
}

export interface RunSummary {
  date: string;
  mode: 'full' | 'quick';
  command: string;
  durationMs: number;
  machine: { description: string; loadAverage1m: { before: number; after: number } };
  code: { commit: string; uncommitted: string[] };
  benches: Record<BenchName, BenchOutcome>;
  figures: Figure[];
  /** The raw numbers file, relative to the markdown file. */
  jsonName: string;
}

const num = (n: number, decimals: number): string => n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

/** Rates and sizes: one decimal below 1,000, none above. */
function amount(n: number | null | undefined, unit: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  if (unit === 'ms') return num(n, n < 10 ? 1 : 0);
  return num(n, n >= 1000 ? 0 : 1);
}

function value(n: number | null, p50: number | undefined, unit: string): string {
  if (n === null) return '–';
  if (unit === 'ms') return `${p50 === undefined ? '' : `${amount(p50, unit)} / `}${amount(n, unit)} ms`;
  return `${amount(n, unit)} ${unit === '/s' ? '/s' : unit}`.replace(' /s', '/s');
}

export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '–';
  return r >= 0.1 ? r.toFixed(2) : r.toPrecision(2);
}

function targetText(t: Target | null, unit: string): string {
  if (!t) return '– (reported)';
  const op = t.op === '>=' ? '≥' : '≤';
  return t.of === 'ratio' ? `ratio ${op} ${t.value}` : `${op} ${amount(t.value, unit)} ${unit}`;
}

function result(f: Figure): string {
  if (f.pass === null) return '–';
  if (f.pass) return 'PASS';
  const got = f.target!.of === 'ratio' ? f.ratio : f.ours;
  if (got === null || !Number.isFinite(got)) return '**MISS** (not measured)';
  if (f.target!.op === '>=') return `**MISS** (${Math.round((got / f.target!.value) * 100)} % of the target)`;
  return `**MISS** (${(got / f.target!.value).toFixed(1)} × the limit)`;
}

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function when(o: BenchOutcome | undefined): string {
  if (!o?.startedAt) return '–';
  const load = o.loadAverage1m ? `, load ${o.loadAverage1m.before.toFixed(1)}` : '';
  return `${o.startedAt.slice(11, 16)}${load}`;
}

/** The table section, markers included. */
export function renderSection(s: RunSummary): string {
  const rows = s.figures.map((f) =>
    `| ${[
      f.figure,
      `**${value(f.ours, f.oursP50, f.unit)}**`,
      f.baseline === null ? '–' : `${value(f.baseline, f.baselineP50, f.unit)} (${f.baselineLabel})`,
      formatRatio(f.ratio),
      targetText(f.target, f.unit),
      result(f),
      when(s.benches[f.bench]),
    ].map(cell).join(' | ')} |`,
  );
  const failed = Object.entries(s.benches)
    .filter(([, o]) => o.status === 'failed')
    .map(([name, o]) => `- **${name} failed**: ${cell(o.error ?? 'unknown error').slice(0, 400)}`);
  const misses = s.figures.filter((f) => f.pass === false).length;
  const targets = s.figures.filter((f) => f.pass !== null).length;
  const minutes = `${Math.floor(s.durationMs / 60_000)} min ${Math.round((s.durationMs % 60_000) / 1000)} s`;
  const n = s.code.uncommitted.length;
  const code = `code at ${s.code.commit}${n ? ` with ${n} uncommitted file${n === 1 ? '' : 's'} (listed in the JSON)` : ''}`;
  return [
    TABLE_START,
    '<!-- Written by `pnpm bench` (packages/bench/src/bench.run.ts); edit outside the markers. -->',
    `Run: ${s.date.slice(0, 16).replace('T', ' ')} UTC, \`${s.command}\`${s.mode === 'quick' ? ' (**quick smoke run: short and small, the numbers mean little**)' : ''}, ${minutes}, ${code}. Raw numbers: [${s.jsonName}](${s.jsonName}).`,
    '',
    `Machine: ${s.machine.description}. 1-minute load average ${s.machine.loadAverage1m.before.toFixed(2)} when the run started and ${s.machine.loadAverage1m.after.toFixed(2)} when it ended. The load in the last column was taken as each bench started, so it includes the previous bench's own processes. With 2 vCPUs, a load well above 2 means that other work shared the machine and disturbed the numbers.`,
    '',
    `Targets met: ${targets - misses} of ${targets}. Ratios are ours ÷ baseline, measured in the same run; latencies are p50 / p99, the ratio compares the p99s.`,
    '',
    TABLE_HEADER,
    '|---|---:|---:|---:|---|---|---|',
    ...rows,
    ...(failed.length ? ['', ...failed] : []),
    TABLE_END,
  ].join('\n');
}

/** `existing` with its generated section replaced (or, the first time, inserted under the title). */
export function spliceSection(existing: string | undefined, section: string): string {
  if (existing === undefined || existing.trim() === '') return `# Benchmarks\n\n${section}\n`;
  const start = existing.indexOf(TABLE_START);
  const end = existing.indexOf(TABLE_END);
  if (start !== -1 && end > start) return existing.slice(0, start) + section + existing.slice(end + TABLE_END.length);
  if (start !== -1 || end !== -1) throw new Error(`the markers ${TABLE_START} and ${TABLE_END} are not both there, in this order: fix the file by hand`);
  const lines = existing.split('\n');
  const title = lines.findIndex((l) => l.startsWith('# '));
  const at = title === -1 ? 0 : title + 1;
  const block = ['', '## All figures (`pnpm bench`)', '', section];
  return [...lines.slice(0, at), ...block, ...lines.slice(at)].join('\n');
}
