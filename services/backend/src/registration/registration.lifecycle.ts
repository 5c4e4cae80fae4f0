import type { Logger } from '@ashchat/saga';
import type { RegistrationRuntime } from './registration.runtime.js';

export interface RegistrationLifecycleDeps {
  runtime: Pick<RegistrationRuntime, 'ensureIndexes' | 'startBackground' | 'close'>;
  ensureUserIndexes: () => Promise<void>;
  logger: Logger;
  /** false: indexes only, no expiry subscriber, sweep or relay (tests drive them by hand). */
  background: boolean;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface RegistrationLifecycle {
  /** Starts the indexes and the background work, retrying while MongoDB is not reachable yet. */
  start(): void;
  /** Resolves once indexes exist and (unless disabled) the background loops run; false if closed first. */
  readonly started: Promise<boolean>;
  /** Stops retrying and the runtime's background work. */
  close(): Promise<void>;
}

/**
 * Start-up of the registration saga without blocking the service: the backend boots and reports
 * not-ready while a dependency is away (see the mongo plugin), so indexes and the background loops
 * are set up as soon as MongoDB answers, with backoff, instead of failing the boot.
 */
export function createRegistrationLifecycle(d: RegistrationLifecycleDeps): RegistrationLifecycle {
  const base = d.retryBaseMs ?? 500;
  const max = d.retryMaxMs ?? 30_000;
  let closed = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let resolveStarted!: (value: boolean) => void;
  const started = new Promise<boolean>((resolve) => {
    resolveStarted = resolve;
  });
  let running: Promise<void> | undefined;

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });

  async function run(): Promise<void> {
    for (let delay = base; !closed; delay = Math.min(delay * 2, max)) {
      try {
        await d.ensureUserIndexes();
        await d.runtime.ensureIndexes();
        break;
      } catch (err) {
        if (closed) break;
        d.logger.warn({ err: String(err), retryInMs: delay }, 'registration indexes not created yet; retrying');
        await pause(delay);
      }
    }
    if (closed) return resolveStarted(false);
    if (d.background) await d.runtime.startBackground();
    resolveStarted(!closed);
  }

  return {
    started,
    start() {
      running ??= run().catch((err: unknown) => {
        if (!closed) d.logger.error({ err: String(err) }, 'registration background work did not start; timers rely on restarts');
        resolveStarted(false);
      });
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      wake?.();
      await d.runtime.close();
      resolveStarted(false);
    },
  };
}
