import type { LoggerOptions } from 'pino';

/**
 * What must never reach a log line: credentials in headers and any field that carries a password,
 * verification code or token. `code` is redacted at the top level and inside bodies only, because
 * `err.code` (ECONNREFUSED, FST_ERR_...) is what makes an error log useful.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  '*.password',
  '*.*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  '*.*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'code',
  'body.code',
  '*.body.code',
  'payload.code',
  '*.payload.code',
  'codeDigest',
  '*.codeDigest',
];

/** pino options for a service logger (also Fastify's `logger` option). JSON lines on stdout. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACTED_PATHS], censor: '[REDACTED]' },
  };
}
