import { randomBytes } from 'node:crypto';
import { freePort } from './process.util.js';

/** `prefix` + random suffix: unique DB, queue and key names so parallel test files never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}${prefix && !/[-_.:]$/.test(prefix) ? '-' : ''}${randomBytes(6).toString('hex')}`;
}

/** A random 32-byte hex string usable as VERIFICATION_CODE_SECRET. */
export function testSecret(): string {
  return randomBytes(32).toString('hex');
}

/** A port nothing listens on (bound once, then released): the address of an unreachable dependency. */
export function closedPort(): Promise<number> {
  return freePort();
}

/** What an in-process worker (verifier, translator) offers a test harness. */
export interface InProcessWorker {
  start(options: { listen: false }): Promise<void>;
  close(): Promise<void>;
}

/**
 * A worker a test stops as if it died and starts again, on the same queues: `start` creates and
 * starts one unless one runs; `stop` closes the running one (a no-op when none runs).
 */
export function restartable(create: () => Promise<InProcessWorker>): { start(): Promise<void>; stop(): Promise<void> } {
  let running: InProcessWorker | undefined;
  return {
    async start() {
      if (running) return;
      running = await create();
      await running.start({ listen: false });
    },
    async stop() {
      const worker = running;
      running = undefined;
      await worker?.close();
    },
  };
}
