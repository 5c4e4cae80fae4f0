import type { Logger, SagaRuntime } from '@ashchat/saga';

type AnyRuntime = SagaRuntime<never, unknown, unknown>;

export interface SagaLifecycleDeps {
  /** The saga's name, for the logs. */
  name: string;
  runtime: Pick<AnyRuntime, 'ensureIndexes' | 'startBackground' | 'close'>;
  /** Indexes the saga's effects need first (e.g. the users' unique e-mail). */
  prepare: () => Promise<void>;
  logger: Logger;
  /** false: indexes only, no expiry subscriber, sweep or relay (tests drive them by hand). */
  background: boolean;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface SagaLifecycle {
  /** Starts the indexes and the background work, retrying while MongoDB is not reachable yet. */
  start(): void;
  /** Resolves once indexes exist and (unless disabled) the background loops run; false if closed first. */
  readonly started: Promise<boolean>;
  /** Stops retrying and the runtime's background work. */
  close(): Promise<void>;
}

/**
 * Start-up of a saga without blocking the service: the backend boots and reports
 * not-ready while a dependency is away (see the mongo plugin), so indexes and the background loops
 * are set up as soon as MongoDB answers, with backoff, instead of failing the boot.
 */
export function createSagaLifecycle(d: SagaLifecycleDeps): SagaLifecycle {
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
        await d.prepare();
        await d.runtime.ensureIndexes();
        break;
      } catch (err) {
        if (closed) break;
        d.logger.warn({ saga: d.name, err: String(err), retryInMs: delay }, 'saga indexes not created yet; retrying');
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
        if (!closed) d.logger.error({ saga: d.name, err: String(err) }, 'saga background work did not start; timers rely on restarts');
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
