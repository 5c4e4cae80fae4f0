export type { Logger } from './service.logger.js';
export { LOG_FORMATS, REDACTED_PATHS, loggerOptions, redactUrl, serializeRequest, type LogFormat } from './logger.js';
export { WORKER_ENV } from './service.env.js';
export {
  installGracefulShutdown,
  type GracefulShutdown,
  type GracefulShutdownOptions,
  type ShutdownLogger,
} from './graceful-shutdown.js';
export { runWorkerMain, type WorkerMainOptions, type WorkerProcess } from './worker.main.js';
export { closeSteps, type CloseStep } from './close.steps.js';
export { checkReadiness, type ReadinessCheck, type ReadinessResult } from './readiness.js';
export {
  buildHealthApp,
  workerReadinessChecks,
  type HealthAppOptions,
  type NamedReadinessCheck,
  type WorkerConnections,
} from './health.app.js';
export { closeRedis, createRedisClient } from './redis.connection.js';
export { createRedisLock, type RedisLockOptions, type WithRedisLock } from './redis.lock.js';
export {
  API_CSP,
  API_SECURITY_HEADERS,
  clientErrorHandler,
  httpServerTimeouts,
  type HttpTimeouts,
} from './http.hardening.js';
