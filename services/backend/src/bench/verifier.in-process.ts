import type { Logger } from 'pino';
import { createAmqpConnection } from '@ashchat/messaging';
import { closeRedis, createMailer, createRedisClient, loadVerifierConfig, startWorker } from '@ashchat/verifier';

export interface InProcessVerifierOptions {
  amqpUri: string;
  redisUri: string;
  /** `?pool=true` reuses SMTP connections, as a production verifier would be configured. */
  smtpUri: string;
  verificationCodeSecret: string;
  /** The verifier's QUEUE_NAMESPACE; the backend must use the same one. */
  queueNamespace: string;
  logger: Logger;
}

export interface InProcessVerifier {
  close(): Promise<void>;
}

/**
 * The verifier's worker exactly as main.ts wires it (config, Redis, AMQP, SMTP), minus the health
 * server and the signal handling, in this process.
 */
export function startInProcessVerifier(o: InProcessVerifierOptions): Promise<InProcessVerifier> {
  const config = loadVerifierConfig({
    envFile: false,
    env: {
      AMQP_URI: o.amqpUri,
      REDIS_URI: o.redisUri,
      SMTP_URI: o.smtpUri,
      VERIFICATION_CODE_SECRET: o.verificationCodeSecret,
      QUEUE_NAMESPACE: o.queueNamespace,
    },
  });
  const redis = createRedisClient(config.REDIS_URI, o.logger, 'ashchat-verifier-bench');
  const amqp = createAmqpConnection({ uri: config.AMQP_URI, name: 'ashchat-verifier-bench', logger: o.logger });
  const mailer = createMailer(config);
  return startWorker({ config, logger: o.logger, amqp, redis, mailer }).then((worker) => ({
    async close() {
      // Worker first: its in-flight messages still need the connections.
      await worker.close();
      await amqp.close();
      await closeRedis(redis);
      mailer.close();
    },
  }));
}
