import t from 'tap';
import { and, not, setup } from 'xstate';
import { defineSaga } from './saga.define.js';
import { SagaDefinitionError } from './saga.errors.js';
import { armTimers, disarmTimers, isTimerDue } from './saga.kit.js';
import { describeGuard, listStates, listTransitions, toMermaid } from './saga.mermaid.js';
import { createTestMachine } from './test-machine.test-support.js';

t.test('toMermaid renders states, initial/final markers, events and guards', async (t) => {
  const out = toMermaid(createTestMachine('q'));
  const lines = out.split('\n');
  t.equal(lines[0], 'stateDiagram-v2');
  for (const expected of [
    '  [*] --> waiting',
    '  waiting : Ping sent, waiting for the pong',
    '  ponged --> [*]',
    '  timedOut --> [*]',
    '  waiting --> ponged : PONG [isPending]',
    '  waiting --> approved : APPROVE',
    '  waiting --> waiting : REARM',
    '  waiting --> timedOut : saga.timeout [timerDue(deadline)]',
    '  approved --> stamping : STAMP',
  ]) {
    t.ok(lines.includes(expected), `has "${expected.trim()}"`);
  }
  t.notOk(lines.some((l) => l.includes('approved --> [*]')), 'non-final states get no end marker');
  t.equal(toMermaid(createTestMachine('q')), out, 'deterministic');
});

t.test('nested, parallel states and composite guards', async (t) => {
  const m = setup({ guards: { a: () => true, b: () => true } }).createMachine({
    id: 'nested',
    initial: 'outer',
    states: {
      outer: {
        initial: 'inner1',
        states: {
          inner1: { on: { NEXT: { target: 'inner2', guard: and(['a', not('b')]) } } },
          inner2: { type: 'final' },
        },
        onDone: 'both',
      },
      both: {
        type: 'parallel',
        states: {
          left: { initial: 'l1', states: { l1: { on: { L: 'l2' } }, l2: {} } },
          right: { initial: 'r1', states: { r1: {} } },
        },
        on: { STOP: '#nested.end' },
      },
      end: { type: 'final', description: 'done; really %% not a comment' },
    },
  });
  const out = toMermaid(m);
  t.match(out, /\n {2}end : done, really % not a comment\n/, 'free text cannot break the diagram');
  t.match(out, /state outer \{\n {4}\[\*\] --> outer__inner1/);
  t.match(out, /outer__inner1 --> outer__inner2 : NEXT \[a && !b\]/);
  t.match(out, /outer__inner2 --> \[\*\]/);
  t.match(out, /state both \{[\s\S]*\n {4}--\n[\s\S]*\}/, 'parallel regions separated by --');
  t.match(out, /both__left__l1 --> both__left__l2 : L/);
  t.match(out, /both --> end : STOP/);
  t.ok(listStates(m).some((s) => s.path === 'both.left.l2'));
  t.ok(listTransitions(m).some((x) => x.source === 'outer' && x.targets[0] === 'both'), 'onDone listed');
  t.equal(describeGuard({ type: 'timerDue', params: { timer: 'x' } }), 'timerDue(x)');
  t.equal(describeGuard(undefined), undefined);
});

t.test('defineSaga rejects what the durable runtime cannot restore', async (t) => {
  const base = { version: 1, status: () => null, messages: {}, timerNames: [], replyToEvent: () => null };
  const withAfter = setup({}).createMachine({ initial: 'a', states: { a: { after: { 1000: 'b' } }, b: {} } });
  t.throws(() => defineSaga({ ...base, name: 'x', machine: withAfter }), SagaDefinitionError);
  const ok = setup({}).createMachine({ initial: 'a', states: { a: {} } });
  t.throws(() => defineSaga({ ...base, name: 'Bad Name', machine: ok }), SagaDefinitionError);
  t.throws(() => defineSaga({ ...base, name: 'x', version: 0, machine: ok }), SagaDefinitionError);
  t.throws(() => defineSaga({ ...base, name: 'x', machine: ok, timerNames: ['a:b'] }), SagaDefinitionError);
  t.equal(defineSaga({ ...base, name: 'fine-1', machine: ok }).name, 'fine-1');
});

t.test('timer helpers are pure and token-based', async (t) => {
  const c1 = armTimers({ seq: 4, timers: {} }, { a: 100, b: 200 });
  t.same(c1, { seq: 6, timers: { a: { token: 't5', at: 100 }, b: { token: 't6', at: 200 } } });
  const c2 = { ...c1, ...armTimers(c1, { a: 300 }) };
  t.equal(c2.timers.a!.token, 't7');
  t.equal(c2.timers.b!.token, 't6', 'other timers untouched');
  t.same(disarmTimers(c2, 'a').timers, { b: { token: 't6', at: 200 } });
  t.same(disarmTimers(c2).timers, {});
  const ev = (token: string, at: number) => ({ type: 'saga.timeout', timer: 'a', token, at });
  t.equal(isTimerDue(c2, ev('t7', 300), 'a'), true);
  t.equal(isTimerDue(c2, ev('t5', 300), 'a'), false, 'stale token');
  t.equal(isTimerDue(c2, ev('t7', 299), 'a'), false, 'not due yet');
  t.equal(isTimerDue(c2, ev('t7', 300), 'b'), false, 'other timer');
  t.equal(isTimerDue(c2, { type: 'X' }, 'a'), false);
});

t.test('delays and eventless transitions get readable labels', async (t) => {
  const m = setup({}).createMachine({
    id: 'timed',
    initial: 'a',
    states: { a: { after: { 500: 'b' } }, b: { always: 'c' }, c: { type: 'final' } },
  });
  const out = toMermaid(m);
  t.match(out, /\n {2}a --> b : after 500ms\n/);
  t.match(out, /\n {2}b --> c : \(always\)\n/);
  t.same(listTransitions(m).map((x) => x.event), ['after 500ms', '(always)']);
});
