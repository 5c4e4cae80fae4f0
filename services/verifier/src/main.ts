import { pino } from 'pino';
import { isConfigError } from '@ashchat/config';
import { createAmqpConnection } from '@ashchat/messaging';
import { loadVerifierConfig, type VerifierConfig } from './config.js';
import { closeRedis, createRedisClient, installGracefulShutdown, loggerOptions } from '@ashchat/service-kit';
import { createMailer } from './connections/mailer.connection.js';
import { buildHealthApp } from './app.js';
import { startWorker, type Worker } from './worker.js';

let config: VerifierConfig;
try {
  config = loadVerifierConfig();
} catch (error) {
  // A configuration problem is the operator's to fix: the list of variables, not a stack trace.
  if (!isConfigError(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = pino(loggerOptions(config.LOG_LEVEL));
const redis = createRedisClient(config.REDIS_URI, logger, 'ashchat-verifier');
const amqp = createAmqpConnection({ uri: config.AMQP_URI, name: 'ashchat-verifier', logger });
const mailer = createMailer(config);
const health = await buildHealthApp({ logger, redis, amqp, mailer });
let worker: Worker | undefined;

/** Worker first, so in-flight messages finish while their connections are still open. */
async function closeAll(): Promise<void> {
  const failures: unknown[] = [];
  const step = async (name: string, close: () => Promise<unknown> | unknown): Promise<void> => {
    try {
      await close();
    } catch (err) {
      logger.error({ err, step: name }, 'close step failed');
      failures.push(err);
    }
  };
  await step('worker', () => worker?.close());
  await step('amqp', () => amqp.close());
  await step('redis', () => closeRedis(redis));
  await step('smtp', () => mailer.close());
  await step('health server', () => health.close());
  if (failures.length > 0) throw new AggregateError(failures, 'some resources did not close cleanly');
}

const lifecycle = installGracefulShutdown({ logger, close: closeAll, timeoutMs: 10_000 });
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  void lifecycle.shutdown('uncaughtException', 1);
});
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled rejection');
  void lifecycle.shutdown('unhandledRejection', 1);
});

try {
  await health.listen({ port: config.VERIFIER_PORT, host: config.HOST });
  worker = await startWorker({ config, logger, amqp, redis, mailer });
} catch (err) {
  logger.fatal({ err }, 'could not start');
  await lifecycle.shutdown('start-up failure', 1);
}
