import { isConfigError } from '@ashchat/config';
import { loadBackendConfig, type BackendConfig } from './config.js';
import { createBackend } from './backend.js';
import { installGracefulShutdown } from '@ashchat/service-kit';

let config: BackendConfig;
try {
  config = loadBackendConfig();
} catch (error) {
  // A configuration problem is the operator's to fix: the list of variables, not a stack trace.
  if (!isConfigError(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const app = createBackend(config);

const lifecycle = installGracefulShutdown({ logger: app.log, close: () => app.close(), timeoutMs: 10_000 });
process.on('uncaughtException', (err) => {
  app.log.fatal({ err }, 'uncaught exception');
  void lifecycle.shutdown('uncaughtException', 1);
});
process.on('unhandledRejection', (err) => {
  app.log.fatal({ err }, 'unhandled rejection');
  void lifecycle.shutdown('unhandledRejection', 1);
});

try {
  await app.listen({ port: config.PORT, host: config.HOST });
} catch (err) {
  app.log.fatal({ err }, 'could not start');
  await lifecycle.shutdown('start-up failure', 1);
}
