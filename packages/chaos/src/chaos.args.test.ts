import t from 'tap';
import { parseChaosArgs } from './chaos.args.js';

t.test('defaults: full run, random seed, default output', async (t) => {
  t.same(parseChaosArgs([], () => 1234), { quick: false, seed: 1234, out: undefined, help: false });
});

t.test('flags, with and without =', async (t) => {
  t.same(parseChaosArgs(['--quick', '--seed', '42', '--out=x.md'], () => 1), { quick: true, seed: 42, out: 'x.md', help: false });
  t.same(parseChaosArgs(['--', '--seed=0'], () => 1).seed, 0);
});

t.test('mistakes are refused by name', async (t) => {
  t.throws(() => parseChaosArgs(['--seed', 'abc'], () => 1), /--seed must be an integer/);
  t.throws(() => parseChaosArgs(['--seed'], () => 1), /--seed needs a value/);
  t.throws(() => parseChaosArgs(['--fast'], () => 1), /unknown argument --fast/);
});
