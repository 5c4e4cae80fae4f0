import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../errors/app-error.js';

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  /** How long until the window resets; the Retry-After of a refusal. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Counts one hit against every key; refused if any key is over its limit. */
  hit(entries: Array<{ key: string; rule: RateLimitRule }>): Promise<RateLimitDecision>;
}

// Fixed window per key, atomic on the server so every backend instance shares the same count.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

/** Keys may contain e-mail addresses: store a digest, not the address. */
export const rateLimitKey = (scope: string, subject: string): string =>
  `${scope}:${createHash('sha256').update(subject).digest('base64url').slice(0, 22)}`;

export function createRateLimiter(redis: Redis, prefix = 'rate-limit'): RateLimiter {
  return {
    async hit(entries) {
      let decision: RateLimitDecision = { allowed: true, remaining: Number.POSITIVE_INFINITY, retryAfterMs: 0 };
      for (const { key, rule } of entries) {
        const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, `${prefix}:${key}`, rule.windowMs)) as [number, number];
        const remaining = Math.max(0, rule.limit - count);
        if (count > rule.limit) {
          decision = {
            allowed: false,
            remaining: 0,
            retryAfterMs: Math.max(decision.retryAfterMs, ttl),
          };
        } else if (decision.allowed) {
          decision = { allowed: true, remaining: Math.min(decision.remaining, remaining), retryAfterMs: 0 };
        }
      }
      return decision;
    },
  };
}

/** The refusal of every limit: 429 RATE_LIMITED with Retry-After (whole seconds, at least 1). */
export function rateLimitedError(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1_000));
  return new AppError('RATE_LIMITED', { headers: { 'retry-after': String(seconds) }, details: { retryAfterMs } });
}

/** Counts the hits; beyond a limit, throws 429 RATE_LIMITED with Retry-After. */
export async function enforceRateLimit(limiter: RateLimiter, entries: Parameters<RateLimiter['hit']>[0]): Promise<void> {
  const decision = await limiter.hit(entries);
  if (decision.allowed) return;
  throw rateLimitedError(decision.retryAfterMs);
}
