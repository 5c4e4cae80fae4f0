export { loadConfig, type LoadConfigOptions, type LoadConfigCheck } from './load-config.js';
export { ConfigError, isConfigError, type ConfigProblem } from './config-error.js';
export {
  UriVar,
  PortVar,
  SecretVar,
  LogLevelVar,
  LOG_LEVELS,
  type LogLevel,
  type EnvVarKeywords,
  type EnvVarOptions,
} from './env-vars.js';
export { readEnvFile, type EnvRecord } from './env-source.js';
