import type { ServiceLogger } from './service.logger.js';

export type ShutdownLogger = Pick<ServiceLogger, 'info' | 'warn' | 'error'>;

export interface GracefulShutdownOptions {
  logger: ShutdownLogger;
  /** Stops intake, drains in-flight work and closes every connection. */
  close: () => Promise<void>;
  /** After this long the process exits anyway: a stuck close must not keep a pod alive forever. */
  timeoutMs?: number;
  signals?: string[];
  /** Injected by tests; the default ends the process. */
  exit?: (code: number) => void;
}

export interface GracefulShutdown {
  /** Starts the shutdown as if a signal arrived (fatal errors use it with exit code 1). */
  shutdown(reason: string, exitCode?: number): Promise<void>;
  /** Removes the signal listeners (tests). */
  dispose(): void;
}

/**
 * First signal: close everything, then exit 0 (1 if closing failed or ran out of time). A second
 * signal means the operator does not want to wait: exit 1 at once.
 */
export function installGracefulShutdown(o: GracefulShutdownOptions): GracefulShutdown {
  const exit = o.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = o.timeoutMs ?? 10_000;
  const signals = o.signals ?? ['SIGINT', 'SIGTERM'];
  let closing: Promise<void> | undefined;

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
    if (closing !== undefined) {
      o.logger.warn({ signal }, 'second signal; exiting immediately');
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);

  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
