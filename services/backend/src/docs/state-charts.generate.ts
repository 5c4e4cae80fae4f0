/**
 * Writes docs/state-charts/<saga>.md from the machine definitions (the single source of truth).
 *   generate: node --import=tsx --conditions=ashchat-source services/backend/src/docs/state-charts.generate.ts
 *   check:    … state-charts.generate.ts --check   (exit 1 when a file is missing or out of date)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listStates, listTransitions, toMermaid } from '@ashchat/saga';
import type { AnyStateMachine } from 'xstate';
import { REGISTRATION_MACHINE_VERSION, REGISTRATION_TIMERS, registrationMachine } from '../registration/registration.machine.js';
import { REGISTRATION_STATE_STATUS } from '../registration/registration.saga.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '../../../..');
export const OUT_DIR = join(REPO_ROOT, 'docs/state-charts');
const SELF = relative(REPO_ROOT, fileURLToPath(import.meta.url));
export const GENERATE_COMMAND = `node --import=tsx --conditions=ashchat-source ${SELF}`;

export interface StateChart {
  file: string;
  title: string;
  source: string;
  machine: AnyStateMachine;
  version: number;
  timers: readonly string[];
  /** Extra column per state, e.g. the REST status. */
  statusOf?: (state: string) => string;
  notes: string[];
}

export const STATE_CHARTS: StateChart[] = [
  {
    file: 'registration.md',
    title: 'Registration saga',
    source: 'services/backend/src/registration/registration.machine.ts',
    machine: registrationMachine,
    version: REGISTRATION_MACHINE_VERSION,
    timers: REGISTRATION_TIMERS,
    statusOf: (state) => {
      const s = REGISTRATION_STATE_STATUS[state];
      return s ? `\`${s.status}\`${s.reason ? ` (${s.reason})` : ''}` : '—';
    },
    notes: [
      'Replies whose `requestId` is not the pending request are stale and change nothing (no transition).',
      '`saga.timeout` events come from Redis key expiry or the reconciliation sweep; `timerDue(name)` accepts only the current token of that timer once it is due.',
      '`accountExists = true` follows exactly the same states (the verifier sends a different mail), so the flow reveals nothing.',
      'The password hash lives only in the saga context; every final state clears it.',
    ],
  },
];

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderStateChart(c: StateChart): string {
  const states = listStates(c.machine);
  const lines = [
    `# ${c.title} — state chart`,
    '',
    `<!-- GENERATED FILE: do not edit. Source: ${c.source} (machine version ${c.version}). -->`,
    `Generated from \`${c.source}\` (machine version ${c.version}). Do not edit by hand; regenerate with`,
    `\`${GENERATE_COMMAND}\` (add \`--check\` to verify it is current).`,
    '',
    '```mermaid',
    toMermaid(c.machine).trimEnd(),
    '```',
    '',
    '## States',
    '',
    `| State | Kind | ${c.statusOf ? 'REST status | ' : ''}Description |`,
    `|---|---|${c.statusOf ? '---|' : ''}---|`,
    ...states.map(
      (s) =>
        `| \`${s.path}\` | ${s.type} | ${c.statusOf ? `${c.statusOf(s.path)} | ` : ''}${cell(s.description ?? '')} |`,
    ),
    '',
    '## Transitions',
    '',
    '| From | Event | Guard | To |',
    '|---|---|---|---|',
    ...listTransitions(c.machine).map(
      (t) =>
        `| \`${t.source}\` | \`${t.event}\` | ${t.guard ? `\`${cell(t.guard)}\`` : ''} | ${t.targets.length > 0 ? t.targets.map((x) => `\`${x}\``).join(', ') : '(stays)'} |`,
    ),
    '',
    '## Notes',
    '',
    `- Durable timers: ${c.timers.map((t) => `\`${t}\``).join(', ')} (kept in context with a token; no xstate \`after\`).`,
    ...c.notes.map((n) => `- ${n}`),
    '',
  ];
  return lines.join('\n');
}

/** Returns the files that were (or, with check, would be) changed. */
export async function generateStateCharts(o: { check: boolean; outDir?: string }): Promise<string[]> {
  const outDir = o.outDir ?? OUT_DIR;
  const changed: string[] = [];
  for (const chart of STATE_CHARTS) {
    const path = join(outDir, chart.file);
    const wanted = renderStateChart(chart);
    const current = await readFile(path, 'utf8').catch(() => null);
    if (current === wanted) continue;
    changed.push(path);
    if (!o.check) {
      await mkdir(outDir, { recursive: true });
      await writeFile(path, wanted);
    }
  }
  return changed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const check = process.argv.includes('--check');
  const changed = await generateStateCharts({ check });
  const rel = changed.map((p) => relative(REPO_ROOT, p));
  if (check && rel.length > 0) {
    process.stderr.write(`State charts out of date: ${rel.join(', ')}\nRun: ${GENERATE_COMMAND}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(rel.length > 0 ? `Wrote ${rel.join(', ')}\n` : 'State charts are up to date.\n');
  }
}
