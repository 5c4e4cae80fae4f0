import { Type, type Static } from '@sinclair/typebox';
import { LogLevelVar, PortVar, SecretVar, UriVar, loadConfig, type LoadConfigOptions } from '@ashchat/config';

/** Every environment variable the backend reads. The single list an operator needs. */
export const BackendConfigSchema = Type.Object({
  PORT: PortVar(3000, { description: 'HTTP port' }),
  HOST: Type.String({ default: '0.0.0.0', minLength: 1, description: 'Interface to listen on' }),
  LOG_LEVEL: LogLevelVar('info'),
  MONGODB_URI: UriVar(['mongodb', 'mongodb+srv'], { multiHost: true }),
  MONGODB_DB: Type.String({ default: 'ashchat', minLength: 1, pattern: '^[^/\\\\. "$]+$' }),
  AMQP_URI: UriVar(['amqp', 'amqps']),
  REDIS_URI: UriVar(['redis', 'rediss']),
  /** Shared with the verifier: keys the HMAC under which codes travel and rest. */
  VERIFICATION_CODE_SECRET: SecretVar({ minLength: 32 }),
  REGISTRATION_CODE_TTL_MS: Type.Integer({ default: 600_000, minimum: 1_000 }),
  /** Trust X-Forwarded-* (set when running behind a reverse proxy). */
  TRUST_PROXY: Type.Boolean({ default: false }),
});

export type BackendConfig = Readonly<Static<typeof BackendConfigSchema>>;

export function loadBackendConfig(options?: LoadConfigOptions): BackendConfig {
  return loadConfig(BackendConfigSchema, options);
}
