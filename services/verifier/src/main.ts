import { isConfigError } from '@ashchat/config';
import { installGracefulShutdown } from '@ashchat/service-kit';
import { loadVerifierConfig, type VerifierConfig } from './config.js';
import { createVerifier } from './verifier.js';

let config: VerifierConfig;
try {
  config = loadVerifierConfig();
} catch (error) {
  // A configuration problem is the operator's to fix: the list of variables, not a stack trace.
  if (!isConfigError(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const verifier = await createVerifier(config);
const { logger } = verifier;

const lifecycle = installGracefulShutdown({ logger, close: () => verifier.close(), timeoutMs: 10_000 });
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  void lifecycle.shutdown('uncaughtException', 1);
});
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled rejection');
  void lifecycle.shutdown('unhandledRejection', 1);
});

try {
  await verifier.start();
} catch (err) {
  logger.fatal({ err }, 'could not start');
  await lifecycle.shutdown('start-up failure', 1);
}
