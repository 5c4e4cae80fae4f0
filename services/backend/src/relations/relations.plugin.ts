import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createBlockRepository, type BlockRepository } from './block.repository.js';
import { createBlockService, type BlockReader, type BlockService } from './block.service.js';
import { createMuteRepository, type MuteRepository } from './mute.repository.js';
import { createMuteService, type MuteReader, type MuteService } from './mute.service.js';
import relationsRoutes from './relations.routes.js';

export type { MuteReader } from './mute.service.js';
export type { BlockReader } from './block.service.js';

/** What the plugin decorates the instance with (`app.relations`). */
export interface RelationsModule {
  mutes: MuteReader & MuteService;
  blocks: BlockReader & BlockService;
  repositories: { mutes: MuteRepository; blocks: BlockRepository };
  /** What account deletion removes: the user's mutes, and blocks on either side. Repeatable. */
  departure: { forget(userId: string): Promise<void> };
  /** Resolves once the relations' indexes exist. */
  indexesReady: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    relations: RelationsModule;
  }
}

/**
 * User events that the relations publish. Not forwarded to clients (the gateway forwards only the
 * chat event types): they tell other instances to drop caches (`mute.updated`, a conversation list
 * shows `muted`) and presence subscriptions to re-check who they may show (`block.updated`).
 */
export const MUTE_UPDATED = 'mute.updated';
export const BLOCK_UPDATED = 'block.updated';

/**
 * Mute (per user and conversation) and block (per pair of users), under `/v1/me`. Registered
 * before chat, which asks `blocks` on direct creates and sends and shows `mutes` in its views;
 * the mute routes ask chat's membership check at request time (`app.chat.access`).
 */
async function relationsPlugin(app: FastifyInstance): Promise<void> {
  const repositories = { mutes: createMuteRepository(app.mongo.db), blocks: createBlockRepository(app.mongo.db) };
  let indexes: Promise<void> | undefined;
  const indexesReady = (): Promise<void> =>
    (indexes ??= Promise.all([repositories.mutes.ensureIndexes(), repositories.blocks.ensureIndexes()]).then(
      () => undefined,
      (err: unknown) => {
        indexes = undefined;
        throw err;
      },
    ));
  const publish = async (userIds: readonly string[], event: { type: string; [key: string]: unknown }): Promise<void> => {
    // Stored already: a lost event leaves another instance's cache stale until its TTL.
    await app.userEvents.publish(userIds, event).catch((err: unknown) => app.log.warn({ err, type: event.type }, 'relations event not published'));
  };
  const mutes = createMuteService({
    repository: repositories.mutes,
    requireMember: (userId, conversationId) => app.chat.access(userId, conversationId),
    announce: (userId, conversationId) => publish([userId], { type: MUTE_UPDATED, conversationId }),
  });
  const blocks = createBlockService({
    repository: repositories.blocks,
    users: app.users.repository,
    announce: (userIds) => publish(userIds, { type: BLOCK_UPDATED }),
  });
  const departure = {
    async forget(userId: string): Promise<void> {
      await Promise.all([repositories.mutes.removeAllOfUser(userId), repositories.blocks.removeAllOf(userId)]);
    },
  };
  app.decorate('relations', { mutes, blocks, repositories, departure, indexesReady });
  app.addHook('onReady', async () => {
    indexesReady().catch((err: unknown) => app.log.warn({ err }, 'relations indexes not created yet'));
  });
  await app.register(relationsRoutes, { mutes, blocks });
}

export default fp(relationsPlugin, {
  name: 'relations',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'auth', 'user-events', 'users'],
});
