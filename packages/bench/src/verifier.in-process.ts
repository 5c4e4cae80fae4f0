import type { Logger } from 'pino';
import { createVerifier, loadVerifierConfig } from '@ashchat/verifier';

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
 * The verifier from its composition root (the one main.ts uses), in this process and without its
 * health server listening: the bench measures the worker, not the probes.
 */
export async function startInProcessVerifier(o: InProcessVerifierOptions): Promise<InProcessVerifier> {
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
  const verifier = await createVerifier(config, { logger: o.logger, connectionName: 'ashchat-verifier-bench' });
  try {
    await verifier.start({ listen: false });
  } catch (err) {
    await verifier.close();
    throw err;
  }
  return verifier;
}
