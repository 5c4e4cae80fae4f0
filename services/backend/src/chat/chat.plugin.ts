import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import chatRoutes from './chat.routes.js';
import { createChatUsers } from './chat.users.js';
import { createConversationRepository, type ConversationRepository } from './conversation.repository.js';
import { createConversationService, type ConversationService } from './conversation.service.js';
import { createMessageRepository, type MessageRepository } from './message.repository.js';
import { createMessageService, type MessageService } from './message.service.js';

/** What the plugin decorates the instance with (`app.chat`). */
export interface ChatModule {
  conversations: ConversationService;
  messages: MessageService;
  repositories: { conversations: ConversationRepository; messages: MessageRepository };
  /** Resolves once every chat index exists (creating them if needed). */
  indexesReady: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    chat: ChatModule;
  }
}

/**
 * Conversations and messages over REST, for signed-in users (`app.authenticate`), with the indexes
 * every query relies on (and the unique ones that make creates and sends idempotent).
 */
async function chatPlugin(app: FastifyInstance): Promise<void> {
  const repositories = { conversations: createConversationRepository(app.mongo.db), messages: createMessageRepository(app.mongo.db) };
  let indexes: Promise<void> | undefined;
  const indexesReady = (): Promise<void> =>
    (indexes ??= Promise.all([repositories.conversations.ensureIndexes(), repositories.messages.ensureIndexes()]).then(
      () => undefined,
      (err: unknown) => {
        indexes = undefined;
        throw err;
      },
    ));
  const deps = { ...repositories, users: createChatUsers(app.mongo.db), indexesReady };
  const conversations = createConversationService(deps);
  const messages = createMessageService(deps);
  app.decorate('chat', { conversations, messages, repositories, indexesReady });
  // Started when the instance is ready, without holding it up: MongoDB may still be on its way
  // (the service reports not-ready meanwhile). Creates and sends wait for them, since their
  // idempotency rests on the unique indexes; a failed attempt is retried by the next of those.
  app.addHook('onReady', async () => {
    indexesReady().catch((err: unknown) => app.log.warn({ err }, 'chat indexes not created yet; retrying on the next write'));
  });
  await app.register(chatRoutes, { conversations, messages });
}

export default fp(chatPlugin, {
  name: 'chat',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'auth'],
});
