import t from 'tap';
import { TABLE_END, TABLE_START, insertSection, renderSection, summaryLine, verdict, type RunFacts } from './chaos.report.js';

const facts = (over: Partial<RunFacts> = {}): RunFacts => ({
  seed: 7,
  quick: true,
  commit: 'abc1234',
  uncommittedFiles: 2,
  startedAt: '2026-12-06T05:00:00.000Z',
  durationMs: 45_000,
  machine: { cpus: 4, loadAverage: [1, 0.5, 0.25] },
  dbServer: 'FerretDB v1.24.2',
  brokerServer: 'RabbitMQ at 127.0.0.1:5672 (shared)',
  tallies: [{ section: 'Messages', rows: [{ label: 'acknowledged', value: 10 }, { label: 'lost', value: 0, bad: true }], failures: [] }],
  faults: [
    { kind: 'backend-kill', target: 'backend-1', injectedAtMs: 3_000, recoveryMs: 2_500, note: 'killed' },
    { kind: 'backend-kill', target: 'backend-2', injectedAtMs: 9_000, recoveryMs: 4_000, note: 'killed' },
    { kind: 'db-stop', injectedAtMs: 12_000, note: 'skipped: not ours', skipped: true },
  ],
  recoveryBoundMs: 60_000,
  otherFailures: [],
  ...over,
});

t.test('a clean run passes and reports the longest recovery per kind', async (t) => {
  t.same(verdict(facts()), []);
  const md = renderSection(facts());
  t.match(md, /\*\*PASS\*\*/);
  t.match(md, /Database server: FerretDB v1\.24\.2\. Broker: RabbitMQ at 127\.0\.0\.1:5672 \(shared\)\./, 'names both servers');
  t.match(md, /\| backend-kill \| 2 \| 0 \| 4\.00 s \|/);
  t.match(md, /\| db-stop \| 0 \| 1 \| – \|/);
  t.match(md, /- db-stop: skipped: not ours/);
  t.match(md, /seed `7`/);
  t.match(summaryLine(facts()), /^chaos: PASS/);
});

t.test('lost items, tally failures, unrecovered faults and crashes fail the run', async (t) => {
  const lost = facts({ tallies: [{ section: 'Messages', rows: [{ label: 'lost', value: 2, bad: true }], failures: [] }] });
  t.same(verdict(lost), ['Messages: lost = 2']);
  t.match(renderSection(lost), /\| lost \| \*\*2\*\* \|/);
  const told = facts({ tallies: [{ section: 'Poison', rows: [], failures: ['3 injected, 2 dead-lettered'] }] });
  t.same(verdict(told), ['Poison: 3 injected, 2 dead-lettered']);
  const stuck = facts({ faults: [{ kind: 'amqp-close', injectedAtMs: 5_000, note: 'closed 4' }] });
  t.match(verdict(stuck)[0], /amqp-close at \+5\.0 s not recovered within 60 s/);
  t.match(renderSection(stuck), /\| amqp-close \| 1 \| 0 \| \*\*> 60\.00 s\*\* \|/);
  const notInjected = facts({ faults: [{ kind: 'redis-kill', injectedAtMs: 1_000, recoveryMs: 10, note: 'injection failed: none found', injectionFailed: true }] });
  t.same(verdict(notInjected), ['redis-kill: injection failed: none found']);
  t.match(summaryLine(facts({ otherFailures: ['verifier exited by itself (1)'] })), /^chaos: FAIL verifier exited by itself/);
});

t.test('the section goes between the markers, keeping the text around them', async (t) => {
  const section = `${TABLE_START}\nnew\n${TABLE_END}`;
  t.match(insertSection(undefined, section), /^# Reliability[\s\S]*new/);
  const doc = `# R\n\nintro\n\n${TABLE_START}\nold\n${TABLE_END}\n\nafter\n`;
  t.equal(insertSection(doc, section), `# R\n\nintro\n\n${section}\n\nafter\n`);
  t.equal(insertSection('# R\n\nhand-written\n', section), `# R\n\nhand-written\n\n## Latest chaos run\n\n${section}\n`);
  t.throws(() => insertSection(`# R\n${TABLE_END}\n${TABLE_START}\n`, section), /markers/);
});
