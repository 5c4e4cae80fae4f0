// The generated table replaces only what lies between its markers: hand-written analysis survives.
import t from 'tap';
import { formatRatio, spliceSection, TABLE_END, TABLE_START } from './bench.markdown.js';

const section = (n: number): string => `${TABLE_START}\ntable ${n}\n${TABLE_END}`;

t.test('between the markers only', async (t) => {
  const doc = `# Benchmarks\n\nintro\n\n${section(1)}\n\n## Registration\n\nwhy it misses\n`;
  const next = spliceSection(doc, section(2));
  t.equal(next, `# Benchmarks\n\nintro\n\n${section(2)}\n\n## Registration\n\nwhy it misses\n`);
  t.equal(spliceSection(next, section(2)), next, 'the same table twice changes nothing');
});

t.test('the first time, under the title, above everything else', async (t) => {
  const next = spliceSection('# Benchmarks\n\n## Registration\n\ntext\n', section(1));
  t.ok(next.startsWith(`# Benchmarks\n\n## All figures (\`pnpm bench\`)\n\n${section(1)}\n\n## Registration\n\ntext\n`));
});

t.test('a new file gets a title', async (t) => {
  t.equal(spliceSection(undefined, section(1)), `# Benchmarks\n\n${section(1)}\n`);
});

t.test('one marker alone, or both reversed, is refused, not guessed', async (t) => {
  t.throws(() => spliceSection(`# B\n${TABLE_START}\nold`, section(1)), /not both there, in this order/);
  t.throws(() => spliceSection(`# B\n${TABLE_END}\n${TABLE_START}`, section(1)), /not both there, in this order/);
});

t.test('ratios keep two significant digits when small', async (t) => {
  t.equal(formatRatio(0.00183), '0.0018');
  t.equal(formatRatio(0.2049), '0.20');
  t.equal(formatRatio(35.14), '35.14');
  t.equal(formatRatio(null), '–');
  t.equal(formatRatio(Number.NaN), '–');
});
