import { Type } from '@sinclair/typebox';
import { LogLevelVar, UriVar } from '@ashchat/config';
import { LOG_FORMATS } from './logger.js';

/**
 * The variables every worker service (verifier, translator) reads the same way: where its health
 * endpoints listen, how it logs, its broker and Redis, and its queue namespace. Spread into the
 * service's own schema (`Type.Object({ PORT_VAR, ...WORKER_ENV, … })`), so each stays one flat object.
 */
export const WORKER_ENV = {
  HOST: Type.String({ default: '0.0.0.0', minLength: 1 }),
  LOG_LEVEL: LogLevelVar('info'),
  /** `json` lines (default, production) or `pretty` coloured one-line text (the `dev` scripts set it). */
  LOG_FORMAT: Type.Union(
    LOG_FORMATS.map((format) => Type.Literal(format)),
    { default: 'json' },
  ),
  AMQP_URI: UriVar(['amqp', 'amqps']),
  REDIS_URI: UriVar(['redis', 'rediss']),
  /**
   * Prefix of the queues consumed (`<ns>.TRANSLATION_QUEUE`, …) and of Redis keys; empty = the contract
   * names. Lets several environments or test runs share one broker without taking each other's
   * messages; the backend must use the same namespace.
   */
  QUEUE_NAMESPACE: Type.String({
    default: '',
    maxLength: 100,
    pattern: '^([A-Za-z0-9][A-Za-z0-9_.:-]*)?$',
    errorMessage: 'must be letters, digits, "_", ".", ":" or "-" (at most 100, starting with a letter or digit)',
  }),
};
