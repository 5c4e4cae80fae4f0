import { enforceRateLimit, rateLimitKey, type RateLimiter } from '../rate-limit/rate-limiter.js';

export interface AuthRateLimitSettings {
  windowMs: number;
  perIp: number;
  perAccount: number;
  /** Device-challenge writes (code, resend, denial) per IP and window; reads get four times as many. */
  challengePerIp: number;
}

export interface AuthRateLimits {
  /** A sign-in: counted against the client IP and the account (normalised e-mail), known or not. */
  login(ip: string, emailNormalized: string): Promise<void>;
  /** A refresh: counted against the client IP. */
  refresh(ip: string): Promise<void>;
  /** A device-challenge request: writes and reads (polling) counted apart, against the client IP. */
  challenge(ip: string, kind: 'write' | 'read'): Promise<void>;
}

/** Throws 429 RATE_LIMITED with Retry-After; counted in Redis so the limits hold across instances. */
export function createAuthRateLimits(limiter: RateLimiter, s: AuthRateLimitSettings): AuthRateLimits {
  const ipRule = { limit: s.perIp, windowMs: s.windowMs };
  const hit = (entries: Parameters<RateLimiter['hit']>[0]): Promise<void> => enforceRateLimit(limiter, entries);
  return {
    login: (ip, emailNormalized) =>
      hit([
        { key: rateLimitKey('auth:login:ip', ip), rule: ipRule },
        { key: rateLimitKey('auth:login:account', emailNormalized), rule: { limit: s.perAccount, windowMs: s.windowMs } },
      ]),
    refresh: (ip) => hit([{ key: rateLimitKey('auth:refresh:ip', ip), rule: ipRule }]),
    challenge: (ip, kind) =>
      hit([{ key: rateLimitKey(`auth:challenge-${kind}:ip`, ip), rule: { limit: kind === 'read' ? s.challengePerIp * 4 : s.challengePerIp, windowMs: s.windowMs } }]),
  };
}
