import { randomUUID } from 'node:crypto';
import type { SessionTokens } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { PasswordHasher } from '../security/password.hasher.js';
import type { UserDocument, UserRepository } from '../users/user.repository.js';
import type { DeviceDocument, DeviceRepository } from '../devices/device.repository.js';
import { hashClientDeviceId } from '../devices/device-id.js';
import type { UserScopedCache } from '../user-events/user-scoped.cache.js';
import type { WithWriteLock } from '../database/write.lock.js';
import { hashRefreshToken, newRefreshToken } from './refresh-token.js';
import type { SessionDocument, SessionRepository } from './session.repository.js';
import { createReuseGrace } from './session.grace.js';

/** What an access token says: the user (`sub`) and the session (`sid`, the token family). */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
}

/** A right password from a device the account does not trust: what the device challenge needs. */
export interface DeviceChallengeRequest {
  user: UserDocument;
  deviceIdHash: string;
  deviceName: string | null;
}

export type LoginResult = { kind: 'signed-in'; tokens: SessionTokens } | { kind: 'challenge'; challengeId: string };

export interface LoginInput {
  email: string;
  password: string;
  /** The client's own device id (hashed at once, never kept). */
  deviceId: string;
  deviceName?: string | undefined;
}

/** One active session as its owner sees it (times as Dates; the routes render ISO strings). */
export interface SessionSummary {
  sessionId: string;
  deviceId: string | null;
  deviceName: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  current: boolean;
}

export interface SessionServiceDeps {
  sessions: SessionRepository;
  users: UserRepository;
  devices: Pick<DeviceRepository, 'findTrusted' | 'touch'>;
  /** Starts a device challenge (mails a code); its id. Set once the challenge saga exists. */
  startChallenge: (request: DeviceChallengeRequest) => Promise<string>;
  hasher: PasswordHasher;
  /** Guards the writes to one session family (a Redis lock only where updates are not atomic: database/database.capabilities.ts). */
  withFamilyLock: WithWriteLock;
  /** Signs an access token (the JWT plugin's signer, with its lifetime). */
  signAccessToken: (claims: AccessTokenClaims) => string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlMs: number;
  /** How long a rotated refresh token may be presented again while its successor is unused (session.grace.ts); 0 = never. */
  refreshReuseGraceMs: number;
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
  /**
   * Checks the credentials (INVALID_CREDENTIALS, the same for every failure, an account being deleted
   * included), then starts a session on a trusted device or a device challenge on any other.
   */
  login(input: LoginInput): Promise<LoginResult>;
  /**
   * Starts a session on a device just verified by a challenge. `onceId` names its first token: a
   * second start with the same id is refused (CODE_FLOW_COMPLETED), so a challenge gives tokens once.
   * An account gone or being deleted meanwhile gets none (INVALID_CREDENTIALS).
   */
  startVerifiedSession(userId: string, device: DeviceDocument, onceId: string): Promise<SessionTokens>;
  /** The user's active sessions; `current` marks the caller's. */
  listSessions(userId: string, currentSessionId: string): Promise<SessionSummary[]>;
  /** The device of an active session (null for sessions from before devices). */
  deviceOfSession(sessionId: string): Promise<string | null>;
  /** Ends one of the user's active sessions; SESSION_NOT_FOUND for any other id. */
  revokeOwnSession(userId: string, sessionId: string): Promise<void>;
  /** Ends every session of the user on the device (it was untrusted). */
  revokeDeviceSessions(userId: string, deviceId: string): Promise<void>;
  /** Deletes every session document of the user (account deletion; revoke first to close live sockets). */
  deleteAllOf(userId: string): Promise<number>;
  /**
   * Rotates the refresh token; a rotated token presented again revokes its whole family, unless it is
   * an interrupted rotation (within the grace, its successor never used): then it is rotated again.
   */
  refresh(refreshToken: string): Promise<SessionTokens>;
  /** Whether the session (token family) is active and belongs to the user. */
  isActive(userId: string, sessionId: string): Promise<boolean>;
  revokeSession(userId: string, sessionId: string): Promise<void>;
  /** Deletes refresh tokens past their expiry; how many went. */
  purgeExpired(): Promise<number>;
  /** Ends every session of the user (logout everywhere; a password change keeps the caller's: `except`). */
  revokeAllSessions(userId: string, options?: { except?: string }): Promise<void>;
}

const DUPLICATE_KEY = 11000;

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
  const grace = createReuseGrace({ sessions: d.sessions, graceMs: d.refreshReuseGraceMs, now });
  /** Ends the family of a token presented after its rotation (or whose rotation lost a race); never returns. */
  async function endFamily(token: SessionDocument, reused: boolean): Promise<never> {
    await revokeFamily(token.userId, token.familyId);
    if (reused) d.onReuse?.(token);
    throw new AppError('INVALID_REFRESH_TOKEN');
  }

  interface Issue {
    userId: string;
    familyId: string;
    deviceId: string | null;
    deviceName: string | null;
    /** Absent for a sign-in (the family starts now). */
    familyCreatedAt?: Date;
    tokenId?: string;
  }
  async function issue(i: Issue): Promise<SessionTokens> {
    return (await issueWithId(i)).tokens;
  }
  async function issueWithId(i: Issue): Promise<{ tokens: SessionTokens; id: string }> {
    const refreshToken = newRefreshToken();
    const createdAt = now();
    const id = i.tokenId ?? randomUUID();
    await d.sessions.insert({
      _id: id,
      familyId: i.familyId,
      userId: i.userId,
      tokenHash: hashRefreshToken(refreshToken),
      status: 'active',
      deviceId: i.deviceId,
      deviceName: i.deviceName,
      createdAt,
      familyCreatedAt: i.familyCreatedAt ?? createdAt,
      expiresAt: new Date(createdAt.getTime() + d.refreshTokenTtlMs),
    });
    const { userId, familyId } = i;
    const tokens: SessionTokens = { accessToken: d.signAccessToken({ sub: userId, sid: familyId }), refreshToken, expiresIn: d.accessTokenTtlSeconds, tokenType: 'Bearer' };
    return { tokens, id };
  }
  /** The next token of the family `token` belongs to. */
  const issueNext = (token: SessionDocument): Promise<{ tokens: SessionTokens; id: string }> =>
    issueWithId({
      userId: token.userId,
      familyId: token.familyId,
      deviceId: token.deviceId ?? null,
      deviceName: token.deviceName,
      familyCreatedAt: token.familyCreatedAt ?? token.createdAt,
    });
  /** Repeats an interrupted rotation of `token` (its unused successor given); the new tokens, or the family ends. */
  async function rotateAgain(token: SessionDocument, unused: SessionDocument, next: { tokens: SessionTokens; id: string }): Promise<SessionTokens> {
    if (await grace.takeOver(token, unused, next.id)) return next.tokens;
    // The successor was presented (or the session ended) meanwhile: the chain moved on, so a reuse after all.
    return endFamily(token, (await d.sessions.findById(unused._id))?.status === 'rotated');
  }

  return {
    async login({ email, password, deviceId, deviceName }) {
      const user = await d.users.findByEmail(email);
      if (!user) {
        await d.hasher.verify(await getDummyHash(), password);
        throw new AppError('INVALID_CREDENTIALS');
      }
      if (!(await d.hasher.verify(user.passwordHash, password))) throw new AppError('INVALID_CREDENTIALS');
      // Checked after the hash, so an account being deleted costs the same time as any refusal.
      if (user.deletingSince) throw new AppError('INVALID_CREDENTIALS');
      const deviceIdHash = hashClientDeviceId(deviceId);
      const device = await d.devices.findTrusted(user._id, deviceIdHash);
      if (!device) return { kind: 'challenge', challengeId: await d.startChallenge({ user, deviceIdHash, deviceName: deviceName ?? null }) };
      await d.indexesReady();
      const name = deviceName ?? device.name;
      await d.devices.touch(device._id, now(), deviceName);
      return { kind: 'signed-in', tokens: await issue({ userId: user._id, familyId: randomUUID(), deviceId: device._id, deviceName: name }) };
    },

    async startVerifiedSession(userId, device, onceId) {
      // The account may have gone, or begun its deletion, while the code was on its way.
      const user = await d.users.findById(userId);
      if (!user || user.deletingSince) throw new AppError('INVALID_CREDENTIALS');
      await d.indexesReady();
      try {
        const tokens = await issue({ userId, familyId: randomUUID(), deviceId: device._id, deviceName: device.name, tokenId: onceId });
        await d.devices.touch(device._id, now());
        return tokens;
      } catch (error) {
        if ((error as { code?: number }).code === DUPLICATE_KEY) throw new AppError('CODE_FLOW_COMPLETED');
        throw error;
      }
    },

    async listSessions(userId, currentSessionId) {
      return (await d.sessions.activeTokensOf(userId, now())).map((s) => ({
        sessionId: s.familyId,
        deviceId: s.deviceId ?? null,
        deviceName: s.deviceName,
        createdAt: s.familyCreatedAt ?? s.createdAt,
        lastUsedAt: s.createdAt,
        current: s.familyId === currentSessionId,
      }));
    },

    async deviceOfSession(sessionId) {
      return (await d.sessions.findActiveInFamily(sessionId, now()))?.deviceId ?? null;
    },

    async revokeOwnSession(userId, sessionId) {
      const active = await d.sessions.findActiveInFamily(sessionId, now());
      if (!active || active.userId !== userId) throw new AppError('SESSION_NOT_FOUND');
      await d.withFamilyLock(sessionId, () => revokeFamily(userId, sessionId));
    },

    async revokeDeviceSessions(userId, deviceId) {
      for (const familyId of await d.sessions.activeFamiliesOnDevice(userId, deviceId)) {
        await d.withFamilyLock(familyId, () => revokeFamily(userId, familyId));
      }
    },

    deleteAllOf(userId) {
      d.activeCache?.invalidate(userId);
      return d.sessions.deleteAllOf(userId);
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
          const unused = await grace.successorOf(current);
          if (!unused) return endFamily(current, true);
          return rotateAgain(current, unused, await issueNext(current));
        }
        if (current.expiresAt.getTime() <= now().getTime()) return endFamily(current, false);
        // The new token first: the family never lacks an active token, so its access tokens keep working.
        const next = await issueNext(current);
        if (!(await d.sessions.markRotated(current._id, { at: now(), successorId: next.id }))) {
          // Rotated or revoked by another writer since the read (a concurrent refresh of the same
          // token where there is no lock, or a logout). A rotation that just happened is repeated
          // like an interrupted one (the lock's path, read above, does the same); anything else
          // ends the family, the token just issued with it.
          const again = await d.sessions.findByTokenHash(tokenHash);
          const unused = again && (await grace.successorOf(again));
          if (again && unused) return rotateAgain(again, unused, next);
          return endFamily(current, again?.status === 'rotated');
        }
        return next.tokens;
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
