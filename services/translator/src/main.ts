import { runWorkerMain } from '@ashchat/service-kit';
import { loadTranslatorConfig } from './config.js';
import { createTranslator } from './translator.js';

await runWorkerMain({ load: () => loadTranslatorConfig(), create: (config) => createTranslator(config) });
