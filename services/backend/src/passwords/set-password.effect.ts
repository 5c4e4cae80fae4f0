import type { SagaEffectHandler } from '@ashchat/saga';
import type { SessionService } from '../auth/session.service.js';
import type { UserRepository } from '../users/user.repository.js';
import type { SetPasswordPayload } from './password-reset.machine.js';

export interface SetPasswordEffectDeps {
  users: Pick<UserRepository, 'setPasswordHash'>;
  /** Ends the user's sessions that began before `startedBefore` (closing their WebSockets). */
  revokeSessions: (userId: string, startedBefore: Date) => Promise<void>;
  clock: () => number;
}

/**
 * The reset's `setPassword` effect. Idempotent by reset id: `setPasswordHash` stores the hash once
 * per reset and answers the time of that change again on a repeat after a crash. Sessions are then
 * revoked only if they began before that time, so a repeat never ends a session signed in with the
 * NEW password meanwhile. A user gone (deleted, or never there) becomes USER_GONE; any other
 * failure throws and the saga's relay runs the effect again later.
 */
export function setPasswordEffect(deps: SetPasswordEffectDeps): SagaEffectHandler {
  return async (payload) => {
    const p = payload as unknown as SetPasswordPayload;
    if (p.userId === null) return { type: 'USER_GONE' };
    const changed = await deps.users.setPasswordHash(p.userId, p.passwordHash, p.resetId, new Date(deps.clock()));
    if (!changed) return { type: 'USER_GONE' };
    await deps.revokeSessions(p.userId, changed.changedAt);
    return { type: 'PASSWORD_CHANGED', changedAt: changed.changedAt.getTime() };
  };
}

/**
 * Revokes the user's sessions that began (were signed in) before `startedBefore`, each through the
 * session service, so their access tokens stop working and their WebSockets close with 4403.
 */
export function revokeSessionsStartedBefore(sessions: Pick<SessionService, 'listSessions' | 'revokeSession'>): SetPasswordEffectDeps['revokeSessions'] {
  return async (userId, startedBefore) => {
    for (const s of await sessions.listSessions(userId, '')) {
      if (s.createdAt.getTime() < startedBefore.getTime()) await sessions.revokeSession(userId, s.sessionId);
    }
  };
}
