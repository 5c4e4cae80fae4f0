// Child process of translator.kill.process.test.ts: a translator that SIGKILLs itself the moment
// the engine has answered, before the reply is published (nothing cleaned up, nothing acked).
import { createTranslator } from './translator.js';
import { loadTranslatorConfig } from './config.js';
import { createEngine } from './engine/index.js';
import { countingEngine } from './translator.test-support.js';

const config = loadTranslatorConfig();
const engine = countingEngine(
  createEngine({ provider: config.TRANSLATION_PROVIDER, url: config.TRANSLATION_URL, timeoutMs: config.TRANSLATION_TIMEOUT_MS }),
  () => process.kill(process.pid, 'SIGKILL'),
);
const translator = await createTranslator(config, { engine, connectionName: 'test-translator-kill' });
await translator.start({ listen: false });
process.stdout.write('translator started\n');
