import { MongoClientClosedError, MongoError, MongoErrorLabel, MongoNetworkError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { AppError } from './app-error.js';

/**
 * Seconds a client waits before retrying when MongoDB or Redis is unreachable: about the driver's
 * server selection bound (mongo.plugin.ts), so a retry meets a freshly checked connection.
 */
export const DEPENDENCY_RETRY_AFTER_S = 5;

// Wrapped errors (`new Error(…, { cause })`) are looked through, a few levels deep.
const MAX_CAUSE_DEPTH = 5;

/** The driver's own types and labels for "the server cannot be reached or cannot serve now". */
function isMongoUnavailable(err: unknown): boolean {
  // Network errors include timeouts and the pool-cleared error a failed heartbeat causes.
  if (err instanceof MongoNetworkError || err instanceof MongoServerSelectionError) return true;
  // The client is being closed: this instance is shutting down, another one can answer.
  if (err instanceof MongoTopologyClosedError || err instanceof MongoClientClosedError) return true;
  if (!(err instanceof MongoError)) return false;
  // Server errors the driver marks retryable (shutdown in progress, not primary, overloaded), and
  // a pool whose wait queue timed out (not exported as a class).
  return (
    err.hasErrorLabel(MongoErrorLabel.RetryableWriteError) ||
    err.hasErrorLabel(MongoErrorLabel.ResetPool) ||
    err.hasErrorLabel(MongoErrorLabel.SystemOverloadedError) ||
    err.name === 'MongoWaitQueueTimeoutError'
  );
}

// Socket errors of a connection the peer reset or refused.
const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * A bare Node socket error. The MongoDB driver (7.9) lets one escape unwrapped when a write hits a
 * reset connection (`write ECONNRESET` from Connection.writeCommand), so it is neither a
 * MongoNetworkError nor retried. Only the top-level error counts: ioredis and rabbitmq-client wrap
 * theirs, and fetch wraps its socket error as the cause of a TypeError.
 */
function isBareSocketError(err: unknown): boolean {
  const { code, syscall } = err as { code?: unknown; syscall?: unknown };
  return err instanceof Error && typeof syscall === 'string' && typeof code === 'string' && NETWORK_CODES.has(code);
}

/**
 * ioredis gives up on a command after `maxRetriesPerRequest` reconnects (see createRedisClient)
 * with this error; its class is not exported, its name is stable.
 */
function isRedisUnavailable(err: unknown): boolean {
  return err instanceof Error && err.name === 'MaxRetriesPerRequestError';
}

/**
 * The catalogue error for a failure caused by an unreachable MongoDB or Redis (503 with
 * Retry-After), or undefined for any other failure.
 */
export function dependencyError(error: unknown): AppError | undefined {
  if (isBareSocketError(error)) return unavailable('DATABASE_UNAVAILABLE', error);
  let err = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && err !== undefined && err !== null; depth += 1) {
    const code = isMongoUnavailable(err) ? 'DATABASE_UNAVAILABLE' : isRedisUnavailable(err) ? 'REDIS_UNAVAILABLE' : undefined;
    if (code !== undefined) return unavailable(code, error);
    err = err instanceof Error ? err.cause : undefined;
  }
  return undefined;
}

function unavailable(code: 'DATABASE_UNAVAILABLE' | 'REDIS_UNAVAILABLE', cause: unknown): AppError {
  return new AppError(code, {
    // As RATE_LIMITED: the header for HTTP clients, the details for WebSocket frames.
    details: { retryAfterMs: DEPENDENCY_RETRY_AFTER_S * 1_000 },
    headers: { 'retry-after': String(DEPENDENCY_RETRY_AFTER_S) },
    cause,
  });
}

/** Any failure as a catalogue error: itself, a dependency outage, or INTERNAL_ERROR. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return dependencyError(error) ?? new AppError('INTERNAL_ERROR', { cause: error });
}
