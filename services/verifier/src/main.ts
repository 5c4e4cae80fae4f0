import { runWorkerMain } from '@ashchat/service-kit';
import { loadVerifierConfig } from './config.js';
import { createVerifier } from './verifier.js';

await runWorkerMain({ load: () => loadVerifierConfig(), create: (config) => createVerifier(config) });
