export { buildHealthApp, type HealthAppDeps } from './app.js';
export { VerifierConfigSchema, loadVerifierConfig, DEFAULT_MAIL_FROM, type VerifierConfig } from './config.js';
export { createMailer, type Mailer } from './connections/mailer.connection.js';
export { createRedisClient, closeRedis } from './connections/redis.connection.js';
export { startWorker, type Worker, type WorkerDeps } from './worker.js';
