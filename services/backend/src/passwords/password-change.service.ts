import { randomUUID } from 'node:crypto';
import { AppError } from '../errors/app-error.js';
import { enforceRateLimit, rateLimitKey, type RateLimiter, type RateLimitRule } from '../rate-limit/rate-limiter.js';
import type { PasswordHasher } from '../security/password.hasher.js';
import type { PasswordPolicy } from '../security/password.policy.js';
import type { UserRepository } from '../users/user.repository.js';
import type { AccountNoticePublisher } from './account-notice.publisher.js';

export interface PasswordChangeServiceDeps {
  users: Pick<UserRepository, 'findById' | 'setPasswordHash'>;
  hasher: Pick<PasswordHasher, 'hash' | 'verify'>;
  passwordPolicy: PasswordPolicy;
  /** Ends the user's sessions but `except` (closing their live connections). */
  revokeOtherSessions: (userId: string, except: string) => Promise<void>;
  notices: AccountNoticePublisher;
  limiter: RateLimiter;
  /** Attempts per user and window, right or wrong: bounds guessing with a stolen access token. */
  limit: RateLimitRule;
  clock?: () => number;
}

export interface PasswordChangeInput {
  userId: string;
  sessionId: string;
  currentPassword: string;
  newPassword: string;
}

export interface PasswordChangeService {
  /** Refusals: RATE_LIMITED, WEAK_PASSWORD, WRONG_PASSWORD, UNAUTHENTICATED (the account is gone). */
  change(input: PasswordChangeInput): Promise<void>;
}

export function createPasswordChangeService(deps: PasswordChangeServiceDeps): PasswordChangeService {
  const clock = deps.clock ?? Date.now;
  return {
    async change({ userId, sessionId, currentPassword, newPassword }) {
      // Counted before the (costly) hash check: the limit is what stops guessing the current password.
      await enforceRateLimit(deps.limiter, [{ key: rateLimitKey('password-change:user', userId), rule: deps.limit }]);
      const user = await deps.users.findById(userId);
      if (!user) throw new AppError('UNAUTHENTICATED');
      const rule = deps.passwordPolicy.check(newPassword, user.email);
      if (!rule.ok) throw new AppError('WEAK_PASSWORD', { details: { reason: rule.reason } });
      if (!(await deps.hasher.verify(user.passwordHash, currentPassword))) throw new AppError('WRONG_PASSWORD');
      const changeId = randomUUID();
      const changed = await deps.users.setPasswordHash(userId, await deps.hasher.hash(newPassword), changeId, new Date(clock()));
      if (!changed) throw new AppError('UNAUTHENTICATED');
      await deps.revokeOtherSessions(userId, sessionId);
      await deps.notices.publish({
        noticeId: `password-change-${changeId}`,
        kind: 'password-changed',
        email: user.email,
        nickname: user.nickname,
        preferredLanguage: user.preferredLanguage,
        at: changed.changedAt.getTime(),
      });
    },
  };
}
