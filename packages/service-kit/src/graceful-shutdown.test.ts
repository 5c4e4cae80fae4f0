import { fileURLToPath } from 'node:url';
import t from 'tap';
import { startEntry, within } from '@ashchat/testkit';
import { installGracefulShutdown } from './graceful-shutdown.js';

// Fake signal names: process.emit drives the same listeners a real signal would, without killing tap.
let n = 0;
const fakeSignal = (): string => `ashchat-test-signal-${++n}`;

function setup(t: { teardown(fn: () => unknown): void }, close: () => Promise<void>, timeoutMs = 10_000) {
  const signal = fakeSignal();
  const clock = { ms: 0 };
  const logs: string[] = [];
  const record = (_obj: object, msg: string): void => void logs.push(msg);
  const exits: number[] = [];
  let onExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    onExit = resolve;
  });
  const lifecycle = installGracefulShutdown({
    logger: { info: record, warn: record, error: record },
    close,
    timeoutMs,
    signals: [signal],
    now: () => clock.ms,
    exit: (code) => {
      exits.push(code);
      onExit(code);
    },
  });
  t.teardown(() => lifecycle.dispose());
  return { signal, exits, exited, lifecycle, clock, logs };
}

t.test('the first signal closes, then exits 0', async (t) => {
  let closed = 0;
  const { signal, exited } = setup(t, async () => {
    closed++;
  });
  process.emit(signal as NodeJS.Signals);
  t.equal(await exited, 0);
  t.equal(closed, 1);
});

t.test('a failing close exits 1', async (t) => {
  const { signal, exited } = setup(t, async () => {
    throw new Error('broker gone');
  });
  process.emit(signal as NodeJS.Signals);
  t.equal(await exited, 1);
});

t.test('a second signal after the window exits 1 immediately, without waiting for close', async (t) => {
  let release: () => void = () => undefined;
  const { signal, exits, clock } = setup(t, () => new Promise<void>((resolve) => (release = resolve)));
  process.emit(signal as NodeJS.Signals);
  clock.ms += 1_000;
  process.emit(signal as NodeJS.Signals);
  t.same(exits, [1]);
  release();
});

t.test('copies of the first signal within the window (one keypress, forwarded) keep draining', async (t) => {
  let release: () => void = () => undefined;
  const { signal, exits, exited, clock, logs } = setup(t, () => new Promise<void>((resolve) => (release = resolve)));
  process.emit(signal as NodeJS.Signals);
  process.emit(signal as NodeJS.Signals);
  clock.ms += 999;
  process.emit(signal as NodeJS.Signals);
  t.same(exits, [], 'nothing exits while the drain runs');
  release();
  t.equal(await exited, 0);
  t.same(exits, [0]);
  t.equal(logs.filter((m) => m.startsWith('repeated signal')).length, 2);
  t.notOk(logs.some((m) => m.startsWith('second signal')));
});

t.test('a signal during a shutdown() started without one exits at once', async (t) => {
  let release: () => void = () => undefined;
  const { signal, exits, lifecycle } = setup(t, () => new Promise<void>((resolve) => (release = resolve)));
  void lifecycle.shutdown('fatal', 1);
  process.emit(signal as NodeJS.Signals);
  t.same(exits, [1]);
  release();
});

t.test('a close that hangs is cut off after the bound with exit 1', async (t) => {
  const { signal, exited } = setup(t, () => new Promise<void>(() => undefined), 20);
  process.emit(signal as NodeJS.Signals);
  t.equal(await exited, 1);
});

t.test('shutdown() runs the same path once, with the given exit code', async (t) => {
  let closed = 0;
  const { lifecycle, exits } = setup(t, async () => {
    closed++;
  });
  await Promise.all([lifecycle.shutdown('fatal', 1), lifecycle.shutdown('again', 0)]);
  t.equal(closed, 1);
  t.same(exits, [1]);
});

// A real process receiving real signals. The second SIGINT is sent once the first was handled
// ("shutting down" printed): two signals sent before the process runs would be merged into one
// by the kernel, and the forwarded copy of a keypress also comes a few milliseconds later.
const FIXTURE = fileURLToPath(new URL('./graceful-shutdown.test-support.ts', import.meta.url));

t.test('a process: two SIGINTs back to back drain and exit 0', async (t) => {
  const run = startEntry(FIXTURE, {});
  t.teardown(() => void run.child.kill('SIGKILL'));
  await run.waitForOutput(/^ready$/m);
  run.child.kill('SIGINT');
  await run.waitForOutput(/"msg":"shutting down"/);
  run.child.kill('SIGINT');
  await run.waitForOutput(/"msg":"repeated signal/);
  // The drain finishes when told to, so the second signal surely arrived while it ran.
  run.child.kill('SIGUSR2');
  t.equal(await within(run.exited, 10_000, 'the process to exit'), 0);
  t.match(run.stdout(), /^drained$/m, 'the drain ran');
  t.match(run.stdout(), /"msg":"shut down"/);
  t.notMatch(run.stdout(), /second signal/);
});

t.test('a process: a second SIGINT after the window exits 1 at once', async (t) => {
  // Window 0: every later signal is outside it, with no waiting in the test.
  const run = startEntry(FIXTURE, { REPEAT_WINDOW_MS: '0' });
  t.teardown(() => void run.child.kill('SIGKILL'));
  await run.waitForOutput(/^ready$/m);
  run.child.kill('SIGINT');
  await run.waitForOutput(/^draining$/m);
  run.child.kill('SIGINT');
  t.equal(await within(run.exited, 10_000, 'the process to exit'), 1);
  t.match(run.stdout(), /"msg":"second signal; exiting immediately"/);
  t.notMatch(run.stdout(), /^drained$/m);
});
