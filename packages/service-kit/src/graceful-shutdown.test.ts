import t from 'tap';
import { installGracefulShutdown } from './graceful-shutdown.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
// Fake signal names: process.emit drives the same listeners a real signal would, without killing tap.
let n = 0;
const fakeSignal = (): string => `ashchat-test-signal-${++n}`;

function setup(t: { teardown(fn: () => unknown): void }, close: () => Promise<void>, timeoutMs = 10_000) {
  const signal = fakeSignal();
  const exits: number[] = [];
  let onExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => {
    onExit = resolve;
  });
  const lifecycle = installGracefulShutdown({
    logger: silent,
    close,
    timeoutMs,
    signals: [signal],
    exit: (code) => {
      exits.push(code);
      onExit(code);
    },
  });
  t.teardown(() => lifecycle.dispose());
  return { signal, exits, exited, lifecycle };
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

t.test('a second signal exits 1 immediately, without waiting for close', async (t) => {
  let release: () => void = () => undefined;
  const { signal, exits } = setup(t, () => new Promise<void>((resolve) => (release = resolve)));
  process.emit(signal as NodeJS.Signals);
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
