import type { Redis } from 'ioredis';
import { rateLimitKey, rateLimitedError } from '../rate-limit/rate-limiter.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface MailLimitSettings {
  perHour: number;
  perDay: number;
  /** Key scope of the counters; each flow that mails codes counts its own (default `registration:mail`). */
  scope?: string;
}

/** One mail counted against an address; handed back when no mail went out after all. */
export interface MailReservation {
  release(): Promise<void>;
}

/**
 * How many verification mails (new registrations and resends alike) one address receives per hour
 * and per day, whoever asks and from wherever. Unlike the per-route limits, this counts mails, not
 * requests: a request refused for another reason (cooldown, a busy registration) gives its mail
 * back, so a real user's retries never spend the allowance.
 */
export interface MailLimits {
  /** Counts one mail to the address; throws 429 RATE_LIMITED with Retry-After when none is left. */
  reserve(emailNormalized: string): Promise<MailReservation>;
}

// Atomic on the server, so concurrent requests on any instance cannot overshoot: either every
// window has room and all are counted, or none is and the longest wait among the full ones is
// returned. ARGV: limit and window (ms) per key, in KEYS order.
const RESERVE_SCRIPT = `
local wait = -1
for i, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count >= tonumber(ARGV[2 * i - 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, ARGV[2 * i])
      ttl = tonumber(ARGV[2 * i])
    end
    if ttl > wait then wait = ttl end
  end
end
if wait >= 0 then return wait end
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[2 * i]) end
end
return -1
`;

// Never below zero, never creates a key: a window that ended meanwhile has nothing to give back.
const RELEASE_SCRIPT = `
for _, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count > 0 then redis.call('DECR', key) end
end
return 1
`;

/**
 * Fixed windows in Redis (shared by every instance), keyed by a digest of the normalised address,
 * never the address itself. A fixed window lets up to twice the hourly limit through around an
 * hour's boundary; the daily window bounds the total.
 */
export function createMailLimits(redis: Redis, s: MailLimitSettings, prefix = 'rate-limit'): MailLimits {
  const scope = s.scope ?? 'registration:mail';
  const windows = [
    { scope: `${scope}:hour`, limit: s.perHour, windowMs: HOUR_MS },
    { scope: `${scope}:day`, limit: s.perDay, windowMs: DAY_MS },
  ];
  return {
    async reserve(emailNormalized) {
      const keys = windows.map((w) => `${prefix}:${rateLimitKey(w.scope, emailNormalized)}`);
      const args = windows.flatMap((w) => [w.limit, w.windowMs]);
      const wait = Number(await redis.eval(RESERVE_SCRIPT, keys.length, ...keys, ...args));
      if (wait >= 0) throw rateLimitedError(wait);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          await redis.eval(RELEASE_SCRIPT, keys.length, ...keys);
        },
      };
    },
  };
}
