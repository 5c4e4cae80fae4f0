/**
 * Test-only entry point (excluded from the build): a backend whose digest request is published
 * (the broker confirmed it, the verifier mails it) but never recorded as sent — the process stops
 * right there, printing `PUBLISHED`, the state a SIGKILL then interrupts. It takes no replies, so
 * the saga stays in `sending` with the request still in its outbox. Prints `LISTENING <url>`.
 */
import { DIGEST_MAIL_QUEUE } from '@ashchat/contracts';
import { loadBackendConfig } from '../config.js';
import { createBackend } from '../backend.js';

const config = loadBackendConfig();
const app = createBackend(config, {
  digest: {
    consumeReplies: false,
    publisher: (real) => ({
      async send(queue, schema, body, props) {
        await real.send(queue, schema, body, props);
        if (!queue.endsWith(DIGEST_MAIL_QUEUE)) return;
        process.stdout.write('PUBLISHED\n');
        await new Promise<never>(() => undefined);
      },
      close: () => real.close(),
    }),
  },
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${url}\n`);
