import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { STATE_CHARTS, generateStateCharts, renderStateChart } from './state-charts.generate.js';

t.test('the registration chart has the diagram, every state and every transition', async (t) => {
  const chart = STATE_CHARTS.find((c) => c.file === 'registration.md')!;
  const md = renderStateChart(chart);
  t.match(md, /^# Registration saga — state chart\n/);
  t.match(md, /Do not edit by hand; regenerate with\n`node --import=tsx --conditions=ashchat-source services\/backend\/src\/docs\/state-charts\.generate\.ts`/);
  t.match(md, /```mermaid\nstateDiagram-v2\n[\s\S]*\n```\n/);
  for (const state of Object.keys(chart.machine.root.states)) t.match(md, new RegExp(`\\| \`${state}\` \\|`), `row for ${state}`);
  t.match(md, /\| `verifyingCode` \| `saga\.timeout` \| `timerDue\(request\)` \| `awaitingCode` \|/);
  t.match(md, /\| `failed` \| final \| `failed` \(verifier-failed\) \|/);
  t.equal(renderStateChart(chart), md, 'deterministic');
});

t.test('--check reports missing and stale files; generate fixes them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'state-charts-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'registration.md');
  t.same(await generateStateCharts({ check: true, outDir: dir }), [file], 'missing file is reported');
  t.same(await generateStateCharts({ check: false, outDir: dir }), [file], 'written');
  t.same(await generateStateCharts({ check: true, outDir: dir }), [], 'now current');
  await writeFile(file, `${await readFile(file, 'utf8')}\nhand edit\n`);
  t.same(await generateStateCharts({ check: true, outDir: dir }), [file], 'hand edit detected');
});

t.test('the committed chart is current', async (t) => {
  t.same(await generateStateCharts({ check: true }), [], 'run the generate command if this fails');
});
