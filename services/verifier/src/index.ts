export { createVerifier, type Verifier, type VerifierOptions, type StartOptions } from './verifier.js';
export { VerifierConfigSchema, loadVerifierConfig, DEFAULT_MAIL_FROM, type VerifierConfig } from './config.js';
export { verifierQueues } from './worker.js';
