// The run's result: the verdict, the markdown section of docs/reliability.md (between two markers,
// so hand-written text around it stays) and the JSON beside it.
import type { FaultRecord } from './chaos.faults.js';
import { FAULT_KINDS } from './chaos.schedule.js';
import type { Tally } from './chaos.types.js';

export const TABLE_START = '<!-- chaos:table:start -->';
export const TABLE_END = '<!-- chaos:table:end -->';

export interface RunFacts {
  seed: number;
  quick: boolean;
  commit: string;
  uncommittedFiles: number;
  startedAt: string;
  durationMs: number;
  machine: { cpus: number; loadAverage: readonly number[] };
  dbServer: string;
  brokerServer: string;
  tallies: readonly Tally[];
  faults: readonly FaultRecord[];
  recoveryBoundMs: number;
  /** Failures outside the tallies: processes that died by themselves, a load that threw, … */
  otherFailures: readonly string[];
}

/** Every reason to fail the run; empty = pass. */
export function verdict(f: RunFacts): string[] {
  const failures: string[] = [];
  for (const t of f.tallies) {
    failures.push(...t.failures.map((m) => `${t.section}: ${m}`));
    // A row marked bad with a non-zero count fails the run even if the tally forgot to say so.
    if (t.failures.length === 0) {
      for (const r of t.rows) if (r.bad && r.value !== 0 && r.value !== '0') failures.push(`${t.section}: ${r.label} = ${r.value}`);
    }
  }
  for (const x of f.faults) {
    if (x.injectionFailed) failures.push(`${x.kind}${x.target ? ` ${x.target}` : ''}: ${x.note}`);
    if (!x.skipped && x.recoveryMs === undefined) failures.push(`${x.kind}${x.target ? ` ${x.target}` : ''} at +${(x.injectedAtMs / 1000).toFixed(1)} s not recovered within ${f.recoveryBoundMs / 1000} s`);
  }
  failures.push(...f.otherFailures);
  return failures;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const cell = (v: number | string) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function faultTable(f: RunFacts): string[] {
  const lines = ['| fault | injected | skipped | longest time to recover |', '| --- | ---: | ---: | ---: |'];
  for (const kind of FAULT_KINDS) {
    const of = f.faults.filter((x) => x.kind === kind);
    const ran = of.filter((x) => !x.skipped);
    const missed = ran.some((x) => x.recoveryMs === undefined);
    const longest = ran.reduce((m, x) => Math.max(m, x.recoveryMs ?? 0), 0);
    const recovery = ran.length === 0 ? '–' : missed ? `**> ${seconds(f.recoveryBoundMs)}**` : seconds(longest);
    lines.push(`| ${kind} | ${ran.length} | ${of.length - ran.length} | ${recovery} |`);
  }
  return lines;
}

/** The section between (and including) the markers. */
export function renderSection(f: RunFacts): string {
  const failures = verdict(f);
  const minutes = Math.floor(f.durationMs / 60_000);
  const duration = `${minutes > 0 ? `${minutes} min ` : ''}${Math.round((f.durationMs % 60_000) / 1000)} s`;
  const lines = [
    TABLE_START,
    '<!-- Written by `pnpm chaos` (packages/chaos/src/chaos.run.ts); edit outside the markers. -->',
    '',
    `**${failures.length === 0 ? 'PASS' : 'FAIL'}** — ${f.quick ? 'quick' : 'full'} run, seed \`${f.seed}\` (repeat: \`pnpm chaos${f.quick ? ' --quick' : ''} --seed ${f.seed}\`), ` +
      `commit \`${f.commit}\`${f.uncommittedFiles > 0 ? ` + ${f.uncommittedFiles} uncommitted files` : ''}, started ${f.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${duration}. ` +
      `Machine: ${f.machine.cpus} CPUs, load average ${f.machine.loadAverage.map((l) => l.toFixed(2)).join(' / ')} at the end. Database server: ${f.dbServer}. Broker: ${f.brokerServer}.`,
    '',
  ];
  for (const t of f.tallies) {
    lines.push(`| ${cell(t.section)} | |`, '| --- | ---: |');
    for (const r of t.rows) lines.push(`| ${cell(r.label)} | ${r.bad && r.value !== 0 && r.value !== '0' ? `**${cell(r.value)}**` : cell(r.value)} |`);
    lines.push('');
  }
  lines.push(...faultTable(f), '');
  const skipped = f.faults.filter((x) => x.skipped);
  if (skipped.length > 0) lines.push(...skipped.map((x) => `- ${x.kind}: ${x.note}`), '');
  if (failures.length > 0) lines.push('Failures:', '', ...failures.map((m) => `- ${cell(m)}`), '');
  lines.push(TABLE_END);
  return lines.join('\n');
}

const DOC_HEAD = '# Reliability under fire\n\nWhat `pnpm chaos` measured: the whole system under load while processes and connections die (issue #18).\n\n';

/** The document with the section put between the markers, or appended with them when they are not there yet. */
export function insertSection(existing: string | undefined, section: string): string {
  if (existing === undefined || existing.trim() === '') return `${DOC_HEAD}${section}\n`;
  const start = existing.indexOf(TABLE_START);
  const end = existing.indexOf(TABLE_END);
  if (start !== -1 && end > start) return existing.slice(0, start) + section + existing.slice(end + TABLE_END.length);
  if (start !== -1 || end !== -1) throw new Error(`the markers ${TABLE_START} and ${TABLE_END} are not both there, in this order: fix the file by hand`);
  return `${existing.replace(/\n*$/, '\n\n')}## Latest chaos run\n\n${section}\n`;
}

/** The whole result as JSON (for tooling and for comparing runs). */
export function renderJson(f: RunFacts): string {
  return `${JSON.stringify({ ...f, verdict: verdict(f) }, null, 2)}\n`;
}

/** The last line of the output. */
export function summaryLine(f: RunFacts): string {
  const failures = verdict(f);
  if (failures.length > 0) return `chaos: FAIL ${failures.join('; ')}`;
  const injected = f.faults.filter((x) => !x.skipped).length;
  return `chaos: PASS seed ${f.seed}, ${injected} faults injected and recovered, nothing lost, duplicated or out of order`;
}
