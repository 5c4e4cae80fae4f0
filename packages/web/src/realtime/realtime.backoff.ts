/**
 * Reconnect delays: exponential with "equal jitter" (half fixed, half random), so that many clients
 * dropped at once (a server restart) spread their reconnects, yet none retries in a tight loop.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** A floor for the delay, e.g. after the server closed for rate limiting (4029). */
  minMs?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000 };
/** After a 4029 the server wants us to wait: never sooner than this. */
export const RATE_LIMITED_MIN_MS = 15_000;
/** A connection that stayed up this long counts as stable: the next failure starts the schedule over. */
export const STABLE_CONNECTION_MS = 10_000;

/** The delay before reconnect attempt `attempt` (0 = the first after a drop); `random` returns [0, 1). */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const delay = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.max(options.minMs ?? 0, delay));
}
