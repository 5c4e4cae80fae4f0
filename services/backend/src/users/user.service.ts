import { avatarUrlOf, type MeView, type UpdateMeBody, type UserSearchPage } from '@ashchat/contracts';
import type { WithWriteLock } from '../database/write.lock.js';
import { AppError } from '../errors/app-error.js';
import { enforceRateLimit, rateLimitKey, type RateLimiter } from '../rate-limit/rate-limiter.js';
import type { NicknamePosition, UserDocument, UserRepository } from './user.repository.js';

export interface UserService {
  getMe(userId: string): Promise<MeView>;
  updateMe(userId: string, changes: UpdateMeBody): Promise<MeView>;
  /** Counted against the searching user's limit (RATE_LIMITED with Retry-After beyond it). */
  search(userId: string, query: string, limit: number, cursor?: string): Promise<UserSearchPage>;
}

const toMeView = (u: UserDocument): MeView => ({
  id: u._id,
  email: u.email,
  nickname: u.nickname,
  preferredLanguage: u.preferredLanguage,
  description: u.description ?? '',
  createdAt: u.createdAt.toISOString(),
  digestEmails: u.digestEmails ?? true,
  autoTranslate: u.autoTranslate ?? true,
  avatarUrl: avatarUrlOf(u._id, u.avatar),
});

/** Opaque to clients: where the previous page ended, as base64url JSON. */
export function encodeCursor(p: NicknamePosition): string {
  return Buffer.from(JSON.stringify([p.nicknameNormalized, p.id])).toString('base64url');
}

export function decodeCursor(cursor: string): NicknamePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    // The same refusal as the chat's cursors: clients handle one code for "start from the first page".
    throw new AppError('INVALID_CURSOR');
  }
  return { nicknameNormalized: parsed[0], id: parsed[1] };
}

/**
 * `withUserLock` guards the profile changes of one user: a Redis lock where single-document
 * updates are not atomic, nothing where they are (database/database.capabilities.ts).
 */
export function createUserService(
  users: UserRepository,
  withUserLock: WithWriteLock,
  /** Throws RATE_LIMITED when the user searches too often (searches enumerate users). */
  searchLimit: (userId: string) => Promise<void> = async () => undefined,
): UserService {
  async function load(userId: string): Promise<UserDocument> {
    const user = await users.findById(userId);
    // A valid token of a user who no longer exists: as good as no token.
    if (!user) throw new AppError('UNAUTHENTICATED');
    return user;
  }
  return {
    async getMe(userId) {
      return toMeView(await load(userId));
    },
    async updateMe(userId, changes) {
      const updated = await withUserLock(userId, () => users.updateProfile(userId, changes));
      if (!updated) throw new AppError('UNAUTHENTICATED');
      return toMeView(updated);
    },
    async search(userId, query, limit, cursor) {
      await searchLimit(userId);
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const found = await users.searchByNickname(query, limit + 1, after);
      const page = found.slice(0, limit);
      const last = page.at(-1);
      return {
        // Only what anyone may see: never the e-mail address.
        items: page.map((u) => ({ id: u._id, nickname: u.nickname, avatarUrl: avatarUrlOf(u._id, u.avatar) })),
        nextCursor:
          found.length > limit && last?.nicknameNormalized !== undefined
            ? encodeCursor({ nicknameNormalized: last.nicknameNormalized, id: last._id })
            : null,
      };
    },
  };
}

/** Searches per user and window, counted in Redis so the limit holds across instances. */
export function createUserSearchLimit(limiter: RateLimiter, o: { perWindow: number; windowMs: number }): (userId: string) => Promise<void> {
  return (userId) => enforceRateLimit(limiter, [{ key: rateLimitKey('users:search', userId), rule: { limit: o.perWindow, windowMs: o.windowMs } }]);
}
