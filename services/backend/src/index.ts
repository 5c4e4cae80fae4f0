export { buildApp, fastifyOptions, type AppOptions } from './app.js';
export { BackendConfigSchema, loadBackendConfig, type BackendConfig } from './config.js';
export { AppError, isAppError, type AppErrorOptions } from './errors/app-error.js';
export { errorBody } from './plugins/error-handler.plugin.js';
