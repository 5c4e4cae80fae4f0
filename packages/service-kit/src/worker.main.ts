import { isConfigError } from '@ashchat/config';
import { installGracefulShutdown } from './graceful-shutdown.js';
import type { Logger } from './service.logger.js';

/** What a worker's composition root gives its entry point. */
export interface WorkerProcess {
  readonly logger: Logger & { fatal(obj: object, msg?: string): void };
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface WorkerMainOptions<C> {
  /** Reads and validates the environment; throws a ConfigError on bad variables. */
  load: () => C;
  create: (config: C) => Promise<WorkerProcess>;
  /** Bound of the graceful shutdown (default 10 s). */
  shutdownTimeoutMs?: number;
}

/**
 * A worker service's main: load the configuration (a ConfigError is printed and exits 1), create the
 * service, shut it down gracefully on SIGINT/SIGTERM and on any uncaught error (exit 1), then start
 * it; a failed start shuts down with exit 1.
 */
export async function runWorkerMain<C>(o: WorkerMainOptions<C>): Promise<void> {
  let config: C;
  try {
    config = o.load();
  } catch (error) {
    // A configuration problem is the operator's to fix: the list of variables, not a stack trace.
    if (!isConfigError(error)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }

  const service = await o.create(config);
  const { logger } = service;

  const lifecycle = installGracefulShutdown({ logger, close: () => service.close(), timeoutMs: o.shutdownTimeoutMs ?? 10_000 });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void lifecycle.shutdown('uncaughtException', 1);
  });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    void lifecycle.shutdown('unhandledRejection', 1);
  });

  try {
    await service.start();
  } catch (err) {
    logger.fatal({ err }, 'could not start');
    await lifecycle.shutdown('start-up failure', 1);
  }
}
