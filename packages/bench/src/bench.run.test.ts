// `pnpm bench --quick` end to end: every bench runs (briefly, on the real infrastructure) and the
// table and the raw numbers are written, well-formed, with every figure. The numbers themselves are
// not checked: benchmarks report, tests do not time.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { TABLE_END, TABLE_HEADER, TABLE_START } from './bench.markdown.js';
import type { Figure } from './bench.figures.js';

const RUNNER = fileURLToPath(new URL('./bench.run.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const EXPECTED = [
  'registration.rate',
  'registration.cheap-rate',
  'registration.register-latency',
  'registration.verify-latency',
  'rest.conversations',
  'rest.conversations-uncached',
  'ws.room-rate',
  'ws.room-latency',
  'ws.idle-rss',
  'growth.firstPage.10000',
  'growth.deepPage.10000',
  'growth.send.10000',
  'translation.rate',
  'translation.cached-rate',
  'translation.delivery-latency',
  'translation.arrival-latency',
  ...['registration', 'send10', 'send100', 'history', 'inboxWarm', 'inboxCold'].flatMap((op) => ['db', 'redis', 'amqp'].map((kind) => `counts.${op}.${kind}`)),
  'cpu.registration-hash-excluded',
  'cpu.registration-total',
  'cpu.ws-vs-ws',
  'cpu.ws-vs-socketio',
  'cpu.rest-rate',
  'cpu.rest-cpu',
];
// The quick run takes a few minutes (the CPU bench builds the services first when their JavaScript is
// missing or stale); each of its benches is bounded by the runner, the whole run here.
const RUN_BOUND_MS = 600_000;
t.setTimeout(RUN_BOUND_MS + 30_000);

function runRunner(args: string[], boundMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), '--conditions=ashchat-source', RUNNER, ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), boundMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

t.test('a quick run never writes into docs/', async (t) => {
  const before = await readFile(join(REPO, 'docs/benchmarks.md'), 'utf8');
  const { code, stderr } = await runRunner(['--quick', '--out', join(REPO, 'docs')], 30_000);
  t.equal(code, 2);
  t.match(stderr, /does not write into docs/);
  t.equal(await readFile(join(REPO, 'docs/benchmarks.md'), 'utf8'), before);
});

t.test('an unknown bench name is refused with the usage', async (t) => {
  const { code, stderr } = await runRunner(['--quick', '--only', 'nope'], 30_000);
  t.equal(code, 2);
  t.match(stderr, /--only takes a list of registration, rest, ws, growth, translation, counts, cpu/);
});

t.test('pnpm bench --quick writes the table and the raw numbers with every figure', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'ashchat-bench-test-'));
  t.teardown(() => rm(out, { recursive: true, force: true }));
  const { code, stderr } = await runRunner(['--quick', '--out', out], RUN_BOUND_MS);
  t.equal(code, 0, 'the run succeeds', { stderr: stderr.slice(-3_000) });
  // The progress bar names each bench in turn.
  t.match(stderr, /\[bench\] \[[#.]{24}\] +\d+% \d+:\d\d 1\/7 registration/);
  t.match(stderr, /\[bench\] 7\/7 cpu: done/);

  const raw = JSON.parse(await readFile(join(out, 'benchmarks.json'), 'utf8')) as {
    date: string;
    mode: string;
    durationMs: number;
    machine: { description: string; loadAverage1m: { before: number; after: number } };
    benches: Record<string, { status: string; report?: unknown }>;
    figures: Figure[];
  };
  t.equal(raw.mode, 'quick');
  t.ok(Number.isFinite(Date.parse(raw.date)), 'an ISO date');
  t.type(raw.durationMs, 'number');
  t.match(raw.machine.description, /vCPUs/);
  t.type(raw.machine.loadAverage1m.before, 'number');
  for (const name of ['registration', 'rest', 'ws', 'growth', 'translation', 'counts', 'cpu']) {
    t.equal(raw.benches[name]?.status, 'ok', `${name} ran`);
    t.type(raw.benches[name]?.report, 'object', `${name}: its raw report is kept`);
  }
  t.same(raw.figures.map((f) => f.id).sort(), [...EXPECTED].sort(), 'every figure, once');
  for (const f of raw.figures) {
    t.ok(Number.isFinite(f.ours), `${f.id}: ours is a number`);
    t.ok(f.baseline === null || Number.isFinite(f.baseline), `${f.id}: baseline is a number or none`);
    t.ok(f.ratio === null || Number.isFinite(f.ratio), `${f.id}: ratio is a number or none`);
    t.ok(f.pass === null || typeof f.pass === 'boolean', `${f.id}: a verdict or reported only`);
  }

  const md = await readFile(join(out, 'benchmarks.md'), 'utf8');
  const section = md.slice(md.indexOf(TABLE_START), md.indexOf(TABLE_END) + TABLE_END.length);
  t.ok(md.includes(TABLE_START) && md.includes(TABLE_END), 'the markers');
  t.ok(section.includes(TABLE_HEADER), 'the header: figure, ours, baseline, ratio, target, result, start and load');
  t.match(section, /Machine: .*vCPUs.*load average/);
  const rows = section.split('\n').filter((l) => l.startsWith('| ') && l !== TABLE_HEADER);
  t.equal(rows.length, EXPECTED.length, 'one row per figure');
  for (const f of raw.figures) {
    const row = rows.find((r) => r.startsWith(`| ${f.figure.replaceAll('|', '\\|')} |`));
    t.ok(row, `${f.id}: its row`);
    t.equal(row?.split(' | ').length, 7, `${f.id}: seven cells`);
    t.match(row, f.pass === null ? /\| – \|/ : /PASS|\*\*MISS\*\*/, `${f.id}: its verdict`);
  }
});
