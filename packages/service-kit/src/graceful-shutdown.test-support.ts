// Test-only process for graceful-shutdown.test.ts: the shutdown with default signals, a drain that
// ends on SIGUSR2 (so the test decides when), and its log as JSON lines on stdout.
import { installGracefulShutdown } from './graceful-shutdown.js';

const line =
  (level: string) =>
  (obj: object, msg: string): void =>
    console.log(JSON.stringify({ level, ...obj, msg }));
const window = process.env.REPEAT_WINDOW_MS;

installGracefulShutdown({
  logger: { info: line('info'), warn: line('warn'), error: line('error') },
  close: () =>
    new Promise<void>((resolve) => {
      process.once('SIGUSR2', () => {
        console.log('drained');
        resolve();
      });
      console.log('draining');
    }),
  ...(window === undefined ? {} : { repeatWindowMs: Number(window) }),
});
// Keeps the process alive until the shutdown ends it.
setInterval(() => undefined, 60_000);
console.log('ready');
