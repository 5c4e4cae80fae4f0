import t from 'tap';
import { createPasswordMemory, PASSWORD_MEMORY_TTL_MS } from './password.memory.js';

const ADA = { email: 'ada@example.com', password: 'correct horse battery' };

/** A memory on a hand-moved clock whose scheduled drop the test fires itself. */
function setup() {
  let clock = 1_000_000;
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const memory = createPasswordMemory({
    now: () => clock,
    schedule: (fn, ms) => {
      const timer = { fn, ms, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  });
  return { memory, timers, advance: (ms: number) => (clock += ms) };
}

t.test('handed out once, to the flow it was kept for', async (t) => {
  const { memory } = setup();
  memory.remember('reg-1', ADA);
  t.equal(memory.has('reg-1'), true);
  t.equal(memory.has('reg-2'), false, 'another flow does not see it');
  t.same(memory.take('reg-1'), ADA);
  t.equal(memory.take('reg-1'), null, 'a second take gets nothing');
  t.equal(memory.has('reg-1'), false);
});

t.test('a take for another flow forgets it too', async (t) => {
  const { memory } = setup();
  memory.remember('reg-1', ADA);
  t.equal(memory.take('challenge-9'), null);
  t.equal(memory.take('reg-1'), null, 'nothing left behind for a later flow');
});

t.test('gone after the time to live, by the clock or by the timer', async (t) => {
  const byClock = setup();
  byClock.memory.remember('reg-1', ADA);
  byClock.advance(PASSWORD_MEMORY_TTL_MS - 1);
  t.equal(byClock.memory.has('reg-1'), true, 'still there just before');
  byClock.advance(1);
  t.equal(byClock.memory.take('reg-1'), null, 'expired at the time to live even if the timer was late');

  const byTimer = setup();
  byTimer.memory.remember('reg-1', ADA);
  t.equal(byTimer.timers.length, 1);
  t.equal(byTimer.timers[0]?.ms, PASSWORD_MEMORY_TTL_MS);
  byTimer.timers[0]?.fn();
  t.equal(byTimer.memory.take('reg-1'), null, 'the timer dropped it');
});

t.test('a new flow replaces the old one and cancels its timer; forget clears', async (t) => {
  const { memory, timers } = setup();
  memory.remember('reg-1', ADA);
  const grace = { email: 'grace@example.com', password: 'another long password' };
  memory.remember('challenge-2', grace);
  t.equal(timers[0]?.cancelled, true, 'the first timer cancelled');
  t.equal(memory.has('reg-1'), false);
  t.same(memory.take('challenge-2'), grace);
  memory.remember('challenge-3', grace);
  memory.forget();
  t.equal(memory.has('challenge-3'), false);
  t.equal(timers[2]?.cancelled, true, 'forget cancels the timer');
});

t.test('keeps a copy: a later change to the caller’s object does not leak in', async (t) => {
  const { memory } = setup();
  const typed = { ...ADA };
  memory.remember('reg-1', typed);
  typed.password = 'changed';
  t.equal(memory.take('reg-1')?.password, ADA.password);
});
