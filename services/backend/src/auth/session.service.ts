import { randomUUID } from 'node:crypto';
import type { SessionTokens } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { PasswordHasher } from '../security/password.hasher.js';
import type { UserRepository } from '../users/user.repository.js';
import type { UserScopedCache } from '../user-events/user-scoped.cache.js';
import type { WithWriteLock } from '../database/write.lock.js';
import { hashRefreshToken, newRefreshToken } from './refresh-token.js';
import type { SessionDocument, SessionRepository } from './session.repository.js';

/** What an access token says: the user (`sub`) and the session (`sid`, the token family). */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
}

export interface SessionServiceDeps {
  sessions: SessionRepository;
  users: UserRepository;
  hasher: PasswordHasher;
  /** Guards the writes to one session family (a Redis lock only where updates are not atomic: database/database.capabilities.ts). */
  withFamilyLock: WithWriteLock;
  /** Signs an access token (the JWT plugin's signer, with its lifetime). */
  signAccessToken: (claims: AccessTokenClaims) => string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlMs: number;
  /** Resolves once the sessions' indexes exist (the unique token hash matters before any insert). */
  indexesReady: () => Promise<void>;
  /** Remembers isActive answers; dropped for the user by `onRevoked` (and on every instance by its event). */
  activeCache?: UserScopedCache<boolean>;
  /** Told after a session was revoked (so other instances drop it and close its WebSockets). Never throws. */
  onRevoked?: (userId: string, sessionId: string) => Promise<void>;
  /** Told about a refresh token presented again after its rotation (a stolen token, likely). */
  onReuse?: (session: SessionDocument) => void;
  now?: () => Date;
}

export interface SessionService {
  /** Checks the credentials and starts a session: INVALID_CREDENTIALS, the same for every failure. */
  login(input: { email: string; password: string; deviceName?: string | undefined }): Promise<SessionTokens>;
  /** Rotates the refresh token; a rotated token presented again revokes its whole family. */
  refresh(refreshToken: string): Promise<SessionTokens>;
  /** Whether the session (token family) is active and belongs to the user. */
  isActive(userId: string, sessionId: string): Promise<boolean>;
  revokeSession(userId: string, sessionId: string): Promise<void>;
  /** Deletes refresh tokens past their expiry; how many went. */
  purgeExpired(): Promise<number>;
  /** Ends every session of the user (logout everywhere; a password change keeps the caller's: `except`). */
  revokeAllSessions(userId: string, options?: { except?: string }): Promise<void>;
}

export function createSessionService(d: SessionServiceDeps): SessionService {
  const now = d.now ?? (() => new Date());
  // Verified against for unknown e-mail addresses, so they cost as much time as a wrong password.
  let dummyHash: Promise<string> | undefined;
  async function revokeFamily(userId: string, familyId: string): Promise<void> {
    await d.sessions.revokeFamily(familyId);
    d.activeCache?.invalidate(userId);
    await d.onRevoked?.(userId, familyId);
  }
  const getDummyHash = (): Promise<string> => (dummyHash ??= d.hasher.hash(newRefreshToken()));

  async function issue(userId: string, familyId: string, deviceName: string | null): Promise<SessionTokens> {
    const refreshToken = newRefreshToken();
    const createdAt = now();
    await d.sessions.insert({
      _id: randomUUID(),
      familyId,
      userId,
      tokenHash: hashRefreshToken(refreshToken),
      status: 'active',
      deviceName,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + d.refreshTokenTtlMs),
    });
    return {
      accessToken: d.signAccessToken({ sub: userId, sid: familyId }),
      refreshToken,
      expiresIn: d.accessTokenTtlSeconds,
      tokenType: 'Bearer',
    };
  }

  return {
    async login({ email, password, deviceName }) {
      const user = await d.users.findByEmail(email);
      if (!user) {
        await d.hasher.verify(await getDummyHash(), password);
        throw new AppError('INVALID_CREDENTIALS');
      }
      if (!(await d.hasher.verify(user.passwordHash, password))) throw new AppError('INVALID_CREDENTIALS');
      await d.indexesReady();
      return issue(user._id, randomUUID(), deviceName ?? null);
    },

    async refresh(refreshToken) {
      const tokenHash = hashRefreshToken(refreshToken);
      const found = await d.sessions.findByTokenHash(tokenHash);
      if (!found) throw new AppError('INVALID_REFRESH_TOKEN');
      return d.withFamilyLock(found.familyId, async () => {
        // Read again inside the guard: a concurrent refresh may have rotated it meanwhile.
        const current = await d.sessions.findByTokenHash(tokenHash);
        if (!current || current.status === 'revoked') throw new AppError('INVALID_REFRESH_TOKEN');
        if (current.status === 'rotated') {
          await revokeFamily(current.userId, current.familyId);
          d.onReuse?.(current);
          throw new AppError('INVALID_REFRESH_TOKEN');
        }
        if (current.expiresAt.getTime() <= now().getTime()) {
          await revokeFamily(current.userId, current.familyId);
          throw new AppError('INVALID_REFRESH_TOKEN');
        }
        // The new token first: the family never lacks an active token, so its access tokens keep working.
        const tokens = await issue(current.userId, current.familyId, current.deviceName);
        if (!(await d.sessions.markRotated(current._id))) {
          // Rotated or revoked by another writer since the read (a concurrent refresh of the same
          // token, or a logout): the token was used twice, or the session ended. Either way the
          // family ends, the token just issued with it.
          const reused = (await d.sessions.findByTokenHash(tokenHash))?.status === 'rotated';
          await revokeFamily(current.userId, current.familyId);
          if (reused) d.onReuse?.(current);
          throw new AppError('INVALID_REFRESH_TOKEN');
        }
        return tokens;
      });
    },

    isActive(userId, sessionId) {
      const check = async (): Promise<boolean> => {
        const active = await d.sessions.findActiveInFamily(sessionId, now());
        return active !== null && active.userId === userId;
      };
      return d.activeCache ? d.activeCache.get(userId, sessionId, check) : check();
    },

    async revokeSession(userId, sessionId) {
      await d.withFamilyLock(sessionId, () => revokeFamily(userId, sessionId));
    },

    purgeExpired() {
      return d.sessions.deleteExpired(now());
    },

    async revokeAllSessions(userId, options = {}) {
      for (const familyId of await d.sessions.activeFamiliesOf(userId)) {
        if (familyId === options.except) continue;
        await d.withFamilyLock(familyId, () => revokeFamily(userId, familyId));
      }
    },
  };
}
