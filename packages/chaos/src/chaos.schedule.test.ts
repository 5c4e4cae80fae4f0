import t from 'tap';
import { FAULT_KINDS, planFaults } from './chaos.schedule.js';

const backends = ['backend-1', 'backend-2'];

t.test('the same seed gives the same schedule, another seed another', async (t) => {
  const a = planFaults({ seed: 42, loadMs: 150_000, backends, quick: false });
  t.same(planFaults({ seed: 42, loadMs: 150_000, backends, quick: false }), a);
  t.notSame(planFaults({ seed: 43, loadMs: 150_000, backends, quick: false }), a);
});

t.test('a full run injects every kind, kills every backend, and stays inside the load phase', async (t) => {
  for (const seed of [1, 2, 3, 0xffffffff]) {
    const plan = planFaults({ seed, loadMs: 150_000, backends, quick: false });
    t.same(new Set(plan.map((f) => f.kind)), new Set(FAULT_KINDS), `seed ${seed}: every kind`);
    t.same(plan.filter((f) => f.kind === 'backend-kill').map((f) => f.target).sort(), backends, `seed ${seed}: both backends`);
    t.ok(plan.every((f) => f.atMs >= 15_000 && f.atMs <= 150_000 * 0.85), `seed ${seed}: inside the phase`);
    t.ok(plan.every((f, i) => i === 0 || f.atMs > plan[i - 1]!.atMs), `seed ${seed}: in order`);
  }
});

t.test('a quick run injects one fault of each kind', async (t) => {
  const plan = planFaults({ seed: 7, loadMs: 25_000, backends, quick: true });
  t.equal(plan.length, FAULT_KINDS.length);
  t.same(new Set(plan.map((f) => f.kind)), new Set(FAULT_KINDS));
  t.ok(plan.find((f) => f.kind === 'db-stop')!.downMs >= 2_000);
});
