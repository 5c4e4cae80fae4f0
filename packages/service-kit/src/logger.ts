import { createRequire } from 'node:module';
import type { LoggerOptions } from 'pino';

/** `json`: one JSON object per line (production, log shippers); `pretty`: coloured one-line text (the dev scripts). */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

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
  'newPassword',
  '*.newPassword',
  '*.*.newPassword',
  'currentPassword',
  '*.currentPassword',
  '*.*.currentPassword',
  // The client's device id works like a second credential at sign-in (only its digest is stored).
  'deviceId',
  'body.deviceId',
  '*.body.deviceId',
  'deviceIdHash',
  '*.deviceIdHash',
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

const CENSOR = '[REDACTED]';

/** Query parameters whose name may be logged (the API's own); any other name is censored too. */
const LOGGED_QUERY_NAMES: ReadonlySet<string> = new Set(['limit', 'before', 'cursor', 'query']);
/** Query parameters whose value may be logged, and the only form in which it is (a page size). */
const LOGGED_QUERY_VALUES: Readonly<Record<string, RegExp>> = { limit: /^\d{1,4}$/ };
/** Longer paths are cut: a 16 KiB URL (Node's header limit) must not make every log line that long. */
const MAX_LOGGED_PATH = 512;

function decoded(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * A request URL as it may be logged: the path, and the query with every value censored but a page
 * size, and every name censored but the API's own. A token sent as `?access_token=…` (or as a bare
 * `?<token>`) cannot reach the log, whatever the client put there.
 */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const shownPath = path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…(${path.length} characters)` : path;
  if (mark === -1) return shownPath;
  const query = url.slice(mark + 1);
  if (query === '') return `${shownPath}?`;
  const pairs = query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = decoded(eq === -1 ? pair : pair.slice(0, eq));
    if (name === undefined || !LOGGED_QUERY_NAMES.has(name)) return CENSOR;
    if (eq === -1) return name;
    const value = decoded(pair.slice(eq + 1));
    const shown = LOGGED_QUERY_VALUES[name];
    return `${name}=${value !== undefined && shown?.test(value) === true ? value : CENSOR}`;
  });
  return `${shownPath}?${pairs.join('&')}`;
}

/** The request fields Fastify logs (`incoming request`), with the URL censored by redactUrl. */
interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: { host?: string };
  socket?: { remotePort?: number };
}

/**
 * pino's `req` serializer, replacing Fastify's default one: the same fields, the URL redacted.
 * Never headers (credentials travel there); whatever object is logged as `req`.
 */
export function serializeRequest(req: LoggedRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : undefined,
    host: req.host ?? req.headers?.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * pino-pretty runs in pino's transport worker, which resolves a bare name from pino's own folder:
 * with pnpm's strict node_modules that is not ours, so the worker gets a path.
 */
function prettyTransport(): NonNullable<LoggerOptions['transport']> {
  return {
    target: createRequire(import.meta.url).resolve('pino-pretty'),
    options: { colorize: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
  };
}

/**
 * pino options for a service logger (also Fastify's `logger` option), on stdout. Redaction and the
 * serializers run before the line is formatted, so both formats censor the same fields.
 */
export function loggerOptions(level: string, format: LogFormat = 'json'): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACTED_PATHS], censor: CENSOR },
    serializers: { req: serializeRequest },
    ...(format === 'pretty' ? { transport: prettyTransport() } : {}),
  };
}
