export { buildHealthApp, type HealthAppDeps } from './app.js';
export { VerifierConfigSchema, loadVerifierConfig, DEFAULT_MAIL_FROM, type VerifierConfig } from './config.js';
export { createMailer, type Mailer } from './connections/mailer.connection.js';
// Re-exported so an in-process harness (the backend bench) wires Redis exactly as main.ts does.
export { createRedisClient, closeRedis } from '@ashchat/service-kit';
export { startWorker, verifierQueues, type Worker, type WorkerDeps } from './worker.js';
