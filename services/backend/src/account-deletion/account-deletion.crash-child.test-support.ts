/**
 * Test-only entry point (excluded from the build): a backend whose anonymising step stops for good
 * after HOLD_AFTER_BATCHES batches, printing `HELD` — the state a SIGKILL then interrupts.
 * Prints `LISTENING <url>` once it serves.
 */
import { Type } from '@sinclair/typebox';
import { loadConfig } from '@ashchat/config';
import type { SagaEffectHandler } from '@ashchat/saga';
import { loadBackendConfig } from '../config.js';
import { createBackend } from '../backend.js';
import { ANONYMISE_MESSAGES_EFFECT } from './account-deletion.machine.js';

const test = loadConfig(Type.Object({ HOLD_AFTER_BATCHES: Type.Integer({ default: 1, minimum: 0 }), DELETION_BATCH_SIZE: Type.Integer({ default: 10, minimum: 1 }) }));
const holdAfter = test.HOLD_AFTER_BATCHES;
let batches = 0;
const config = loadBackendConfig();
const app = createBackend(config, {
  accountDeletion: {
    batchSize: test.DELETION_BATCH_SIZE,
    effects: (real): Record<string, SagaEffectHandler> => ({
      ...real,
      [ANONYMISE_MESSAGES_EFFECT]: async (payload, meta) => {
        if (batches >= holdAfter) {
          process.stdout.write(`HELD after ${batches} batches\n`);
          return new Promise<never>(() => undefined);
        }
        batches += 1;
        return real[ANONYMISE_MESSAGES_EFFECT]!(payload, meta);
      },
    }),
  },
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${url}\n`);
