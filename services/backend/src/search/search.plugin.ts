import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createMessageSearch, type MessageSearch } from './message.search.js';
import searchRoutes from './search.routes.js';
import { createSearchService, type SearchService } from './search.service.js';

/** What the plugin decorates the instance with (`app.messageSearch`; `app.search` is Fastify's SEARCH method). */
export interface SearchModule {
  service: SearchService;
  /** The strategy the server's capabilities chose (text index or bounded scan). */
  messages: MessageSearch;
}

declare module 'fastify' {
  interface FastifyInstance {
    messageSearch: SearchModule;
  }
}

/**
 * Message search over REST: in one conversation and across the caller's. The strategy (a text
 * index, or a bounded scan where the server has none) comes from `app.mongo.capabilities`.
 */
async function searchPlugin(app: FastifyInstance): Promise<void> {
  const messages = createMessageSearch({ capabilities: app.mongo.capabilities, db: app.mongo.db, scanLimit: app.config.SEARCH_SCAN_LIMIT });
  const service = createSearchService({
    search: messages,
    conversations: app.chat.repositories.conversations,
    access: app.chat.access,
    messages: app.chat.repositories.messages,
  });
  app.decorate('messageSearch', { service, messages });
  // Without holding start-up: until the text index exists a search answers 500 on MongoDB and
  // the log says why (as a server claimed to be MongoDB but refusing the index would).
  app.addHook('onReady', async () => {
    messages.ensureIndexes().catch((err: unknown) => app.log.warn({ err }, 'message search index not created; searches will fail until it exists'));
  });
  await app.register(searchRoutes, { service });
}

export default fp(searchPlugin, {
  name: 'search',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'auth', 'chat'],
});
