import type { BlockList, BlockView } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import type { UserRepository } from '../users/user.repository.js';
import type { BlockRepository } from './block.repository.js';

/** What chat and presence ask before they let something through. */
export interface BlockReader {
  /** true if either user blocked the other. */
  blockedBetween(a: string, b: string): Promise<boolean>;
  /** Ids of users who blocked `userId` or whom `userId` blocked. */
  blockedWith(userId: string): Promise<Set<string>>;
}

export interface BlockService extends BlockReader {
  block(userId: string, otherId: string): Promise<BlockView>;
  unblock(userId: string, otherId: string): Promise<void>;
  list(userId: string): Promise<BlockList>;
}

export interface BlockServiceDeps {
  repository: BlockRepository;
  users: Pick<UserRepository, 'nicknamesOf'>;
  /**
   * Tells both users (every instance) that a block between them began or ended, after it is
   * stored: presence subscriptions re-check who they may show. Never throws.
   */
  announce: (userIds: readonly string[]) => Promise<void>;
  clock?: () => Date;
}

/**
 * Blocks are read per action, not cached: `blockedBetween` is one `_id` lookup (direct sends and
 * creates only), `blockedWith` one query over two indexed fields (a typing relay, a presence
 * check). A cache would need the same invalidation the presence re-check already gets.
 */
export function createBlockService(deps: BlockServiceDeps): BlockService {
  const clock = deps.clock ?? (() => new Date());
  return {
    blockedBetween: (a, b) => (a === b ? Promise.resolve(false) : deps.repository.between(a, b)),
    async blockedWith(userId) {
      const ids = new Set<string>();
      for (const b of await deps.repository.involving(userId)) ids.add(b.blockerId === userId ? b.blockedId : b.blockerId);
      return ids;
    },
    async block(userId, otherId) {
      if (otherId === userId) throw new AppError('SELF_BLOCK');
      const nickname = (await deps.users.nicknamesOf([otherId])).get(otherId);
      if (nickname === undefined) throw new AppError('USER_NOT_FOUND');
      const doc = await deps.repository.insert(userId, otherId, clock());
      await deps.announce([userId, otherId]);
      return { userId: otherId, nickname, blockedAt: doc.blockedAt.toISOString() };
    },
    async unblock(userId, otherId) {
      if (otherId === userId) throw new AppError('SELF_BLOCK');
      // Unknown users are simply not blocked: unblocking one is the same no-op as any other.
      if (await deps.repository.remove(userId, otherId)) await deps.announce([userId, otherId]);
    },
    async list(userId) {
      const docs = await deps.repository.byBlocker(userId);
      const nicknames = await deps.users.nicknamesOf(docs.map((d) => d.blockedId));
      return { items: docs.map((d) => ({ userId: d.blockedId, nickname: nicknames.get(d.blockedId) ?? null, blockedAt: d.blockedAt.toISOString() })) };
    },
  };
}
