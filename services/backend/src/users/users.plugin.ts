import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createUserRepository, type UserRepository } from './user.repository.js';
import { createTranslationProfilesCache, type TranslationProfilesCache } from './translation-profiles.cache.js';

/** What the plugin decorates the instance with (`app.users`). */
export interface UsersModule {
  /** The one repository of the `users` collection: auth, registration and chat use it. */
  repository: UserRepository;
  /** Resolves once the users' indexes exist (the unique e-mail matters before any insert); retried after a failure. */
  indexesReady: () => Promise<void>;
  /** Users' language and auto-translation setting, cached for PROFILE_CACHE_TTL_MS (read on every send). */
  translationProfiles: TranslationProfilesCache;
}

declare module 'fastify' {
  interface FastifyInstance {
    users: UsersModule;
  }
}

/** Owns the `users` collection; registered before the plugins that read or write users. */
async function usersPlugin(app: FastifyInstance): Promise<void> {
  const repository = createUserRepository(app.mongo.db);
  let indexes: Promise<void> | undefined;
  const indexesReady = (): Promise<void> =>
    (indexes ??= repository.ensureIndexes().catch((err: unknown) => {
      indexes = undefined;
      throw err;
    }));
  const translationProfiles = createTranslationProfilesCache(repository, { ttlMs: app.config.PROFILE_CACHE_TTL_MS });
  app.decorate('users', { repository, indexesReady, translationProfiles });
}

export default fp(usersPlugin, { name: 'users', fastify: '5.x', dependencies: ['mongo'] });
