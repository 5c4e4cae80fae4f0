import { enforceRateLimit, rateLimitKey, type RateLimiter, type RateLimitRule } from '../rate-limit/rate-limiter.js';

export type RegistrationRoute = 'create' | 'status' | 'verify' | 'resend';

export interface RegistrationRateLimitSettings {
  windowMs: number;
  perIp: number;
  perEmail: number;
  statusPerIp: number;
  statusPerEmail: number;
}

export interface RegistrationRateLimits {
  /**
   * Counts one request of `route` against the client's IP and the registration's e-mail (or, when
   * no registration is known, the subject given); throws 429 RATE_LIMITED with Retry-After.
   */
  check(route: RegistrationRoute, ip: string, subject: string): Promise<void>;
}

/**
 * Per-route limits per IP and per e-mail, counted in Redis so they hold across instances. `scope`
 * keys the counters (the password reset has the same routes and counts its own under `password-reset`).
 */
export function createRegistrationRateLimits(limiter: RateLimiter, s: RegistrationRateLimitSettings, scope = 'registration'): RegistrationRateLimits {
  const rules = (route: RegistrationRoute): { ip: RateLimitRule; email: RateLimitRule } =>
    route === 'status'
      ? { ip: { limit: s.statusPerIp, windowMs: s.windowMs }, email: { limit: s.statusPerEmail, windowMs: s.windowMs } }
      : { ip: { limit: s.perIp, windowMs: s.windowMs }, email: { limit: s.perEmail, windowMs: s.windowMs } };
  return {
    async check(route, ip, subject) {
      const rule = rules(route);
      await enforceRateLimit(limiter, [
        { key: rateLimitKey(`${scope}:${route}:ip`, ip), rule: rule.ip },
        { key: rateLimitKey(`${scope}:${route}:email`, subject), rule: rule.email },
      ]);
    },
  };
}
