import type { Logger } from './service.logger.js';

export type ShutdownLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface GracefulShutdownOptions {
  logger: ShutdownLogger;
  /** Stops intake, drains in-flight work and closes every connection. */
  close: () => Promise<void>;
  /** After this long the process exits anyway: a stuck close must not keep a pod alive forever. */
  timeoutMs?: number;
  signals?: string[];
  /**
   * Signals this close after the first count as the same one (default 1000 ms). One Ctrl-C reaches
   * a service several times: the terminal signals the whole process group, and every wrapper above
   * the service (pnpm, ashchat-infra, tsx watch) forwards its own copy a few milliseconds later.
   * Only a signal after the window is an operator asking again.
   */
  repeatWindowMs?: number;
  /** Injected by tests; the default ends the process. */
  exit?: (code: number) => void;
  /** Injected by tests; the default is Date.now. */
  now?: () => number;
}

export interface GracefulShutdown {
  /** Starts the shutdown as if a signal arrived (fatal errors use it with exit code 1). */
  shutdown(reason: string, exitCode?: number): Promise<void>;
  /** Removes the signal listeners (tests). */
  dispose(): void;
}

/**
 * First signal: close everything, then exit 0 (1 if closing failed or ran out of time). A signal
 * more than `repeatWindowMs` after the first means the operator does not want to wait: exit 1 at
 * once. Copies of the first one (the same keypress, forwarded by wrappers) are only logged: 1 s is
 * far above forwarding delays, even on a loaded machine, and below the pause of a person who
 * presses Ctrl-C again because the drain takes too long; a fast double press is read as one, and
 * a third press still exits at once.
 */
export function installGracefulShutdown(o: GracefulShutdownOptions): GracefulShutdown {
  const exit = o.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = o.timeoutMs ?? 10_000;
  const signals = o.signals ?? ['SIGINT', 'SIGTERM'];
  const repeatWindowMs = o.repeatWindowMs ?? 1_000;
  const now = o.now ?? Date.now;
  let closing: Promise<void> | undefined;
  /** When the first signal arrived; undefined while none has (a shutdown() alone starts no window). */
  let firstSignalAt: number | undefined;

  function shutdown(reason: string, exitCode = 0): Promise<void> {
    closing ??= (async () => {
      o.logger.info({ reason, timeoutMs }, 'shutting down');
      const timer = setTimeout(() => {
        o.logger.error({ timeoutMs }, 'shutdown did not finish in time; exiting');
        exit(1);
      }, timeoutMs);
      try {
        await o.close();
        o.logger.info({ reason }, 'shut down');
        exit(exitCode);
      } catch (err) {
        o.logger.error({ err }, 'shutdown failed');
        exit(1);
      } finally {
        clearTimeout(timer);
      }
    })();
    return closing;
  }

  const onSignal = (signal: string): void => {
    const at = now();
    if (closing === undefined) {
      firstSignalAt = at;
      void shutdown(signal);
      return;
    }
    if (firstSignalAt !== undefined && at - firstSignalAt < repeatWindowMs) {
      o.logger.info({ signal, repeatWindowMs }, 'repeated signal within the window; still draining');
      return;
    }
    o.logger.warn({ signal }, 'second signal; exiting immediately');
    exit(1);
  };
  for (const signal of signals) process.on(signal, onSignal);

  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
