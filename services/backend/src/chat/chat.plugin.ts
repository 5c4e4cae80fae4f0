import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { ChatEvent, ChatMessageCreated } from '@ashchat/contracts';
import { createUserScopedCache } from '../user-events/user-scoped.cache.js';
import { changesInbox, createInboxReader } from './inbox.reader.js';
import { changesAccess, createAccessReader, type AccessReader, type ConversationAccess } from './conversation.access.js';
import chatRoutes from './chat.routes.js';
import { registerChatFrames } from './chat.ws.js';
import { createAccountDepartureService, type AccountDepartureService } from './account-departure.service.js';
import { createConversationRepository, type ConversationRepository } from './conversation.repository.js';
import { createConversationService, type ConversationService } from './conversation.service.js';
import type { Collection } from 'mongodb';
import { createMessageRepository, type MessageDocument, type MessageRepository } from './message.repository.js';
import { createMessagePositions, type MessagePositions } from './message.position.js';
import { createMessageService, type MessageService } from './message.service.js';
import { createResumeReader } from './resume.reader.js';
import { createReactionRepository } from './reaction.repository.js';
import reactionRoutes from './reaction.routes.js';
import { createReactionService, withMessageReactions } from './reaction.service.js';
import type { ChatTranslationPort } from './translation.ports.js';

/** What the plugin decorates the instance with (`app.chat`). */
export interface ChatModule {
  conversations: ConversationService;
  messages: MessageService;
  /** What chat does when an account is deleted (the account-deletion saga's steps). */
  departure: AccountDepartureService;
  repositories: { conversations: ConversationRepository; messages: MessageRepository };
  /** Whether a user may act on a conversation, and its members (cached; CONVERSATION_NOT_FOUND if not a member). */
  access: AccessReader;
  /** Hits and misses of the conversation-list cache on this instance. */
  inboxCacheStats: { readonly hits: number; readonly misses: number; readonly users: number; readonly size: number };
  /** Resolves once every chat index exists (creating them if needed). */
  indexesReady: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    chat: ChatModule;
  }
}

/**
 * Conversations and messages over REST, for signed-in users (`app.authenticate`), and their
 * WebSocket frames (`app.wsFrames`), with the indexes every query relies on (and the unique ones
 * that make creates and sends idempotent).
 */
async function chatPlugin(app: FastifyInstance): Promise<void> {
  // Messages take commit-ordered positions (per-conversation Redis lock + counter) that resume follows.
  const positions = (messages: Collection<MessageDocument>): MessagePositions => createMessagePositions({ redis: app.redis, messages });
  const repositories = { conversations: createConversationRepository(app.mongo.db), messages: createMessageRepository(app.mongo.db, 'messages', { positions }) };
  let indexes: Promise<void> | undefined;
  const indexesReady = (): Promise<void> =>
    (indexes ??= Promise.all([repositories.conversations.ensureIndexes(), repositories.messages.ensureIndexes()]).then(
      () => undefined,
      (err: unknown) => {
        indexes = undefined;
        throw err;
      },
    ));
  const { INBOX_CACHE_TTL_MS, INBOX_CACHE_MAX_BYTES } = app.config;
  const inboxCache = createUserScopedCache<Buffer>({
    bus: app.userEvents,
    invalidatedBy: changesInbox,
    ttlMs: INBOX_CACHE_TTL_MS,
    maxSize: INBOX_CACHE_MAX_BYTES,
    // A user with no page cached still holds a subscription; a page is at least a few hundred bytes.
    maxUsers: Math.max(1, Math.floor(INBOX_CACHE_MAX_BYTES / 256)),
    sizeOf: (json) => json.byteLength,
  });
  const accessCache = createUserScopedCache<ConversationAccess | null>({
    bus: app.userEvents,
    invalidatedBy: changesAccess,
    ttlMs: app.config.MEMBERSHIP_CACHE_TTL_MS,
    maxSize: 200_000,
    maxUsers: 100_000,
  });
  app.addHook('onClose', async () => {
    inboxCache.close();
    accessCache.close();
  });
  const access = createAccessReader(repositories.conversations, accessCache);
  const events = {
    async publish(userIds: readonly string[], event: ChatEvent): Promise<void> {
      // Here at once, so this instance reads its own writes; other instances when the event arrives.
      for (const userId of userIds) {
        if (changesInbox(event, userId)) inboxCache.invalidate(userId);
        if (changesAccess(event)) accessCache.invalidate(userId);
      }
      // The write is stored: a lost event costs live delivery (clients resume from the database)
      // and leaves other instances' caches stale for at most INBOX_CACHE_TTL_MS. Not a failed request.
      await app.userEvents.publish(userIds, event).catch((err: unknown) => app.log.warn({ err, type: event.type }, 'chat event not published'));
    },
  };
  // The digest plugin registers after chat: looked up per send.
  const messageEvents = { published: async (e: Omit<ChatMessageCreated, 'type'>) => (app.hasDecorator('digest') ? app.digest.events.published(e) : undefined) };
  // Likewise translation (registered after chat; absent when TRANSLATION_ENABLED is false).
  const translation: ChatTranslationPort = {
    requested: async (e) => (app.hasDecorator('translation') ? app.translation.requests.requested(e) : undefined),
  };
  // Profiles (language, auto-translation) through the instance's cache: every send reads the sender's.
  const users = { ...app.users.repository, translationProfilesOf: app.users.translationProfiles.translationProfilesOf };
  const deps = {
    ...repositories,
    users,
    indexesReady,
    events,
    access,
    messageEvents,
    translation,
    // Files are registered before chat (files/files.plugin.ts); without them a send with attachmentIds is refused.
    ...(app.hasDecorator('files') ? { attachments: app.files.messageAttachments } : {}),
    // Relations are registered before chat (relations/): mutes in the views, blocks on direct creates and sends.
    ...(app.hasDecorator('relations') ? { mutes: app.relations.mutes, blocks: app.relations.blocks } : {}),
  };
  // A mute set here shows in this instance's next list at once; other instances drop theirs on `mute.updated`.
  if (app.hasDecorator('relations')) app.relations.mutes.onChange((userId) => inboxCache.invalidate(userId));
  // A new language or auto-translation setting changes the list's previews (their translations).
  app.users.translationProfiles.onForget((userId) => inboxCache.invalidate(userId));
  const conversations = createConversationService(deps);
  const reactionRepository = createReactionRepository(app.mongo.db);
  const reactions = createReactionService({ messages: repositories.messages, reactions: reactionRepository, access, events });
  app.addHook('onReady', async () => {
    reactionRepository.ensureIndexes().catch((err: unknown) => app.log.warn({ err }, 'reaction indexes not created yet'));
  });
  // Pages and edits carry the caller's reactions; a deleted message's go with it (reaction.service.ts).
  const messages = withMessageReactions(createMessageService(deps), reactions);
  const departure = createAccountDepartureService({ ...repositories, events, reactions: reactionRepository });
  app.decorate('chat', { conversations, messages, departure, repositories, indexesReady, access, inboxCacheStats: inboxCache.stats });
  // Started when the instance is ready, without holding it up: MongoDB may still be on its way
  // (the service reports not-ready meanwhile). Creates and sends wait for them, since their
  // idempotency rests on the unique indexes; a failed attempt is retried by the next of those.
  app.addHook('onReady', async () => {
    indexesReady().catch((err: unknown) => app.log.warn({ err }, 'chat indexes not created yet; retrying on the next write'));
  });
  const inbox = createInboxReader({ conversations, cache: inboxCache });
  await app.register(chatRoutes, { conversations, messages, inbox });
  await app.register(reactionRoutes, { reactions });
  registerChatFrames(app.wsFrames, {
    messages,
    access,
    bus: app.userEvents,
    resumeReader: createResumeReader({ ...repositories, users }),
    conversations: repositories.conversations,
    presence: () => (app.hasDecorator('presence') ? app.presence : undefined),
    ...(app.hasDecorator('relations') ? { blocks: app.relations.blocks } : {}),
    log: app.log,
    typingThrottleMs: app.config.WS_TYPING_THROTTLE_MS,
    typingTtlMs: app.config.WS_TYPING_TTL_MS,
    resumeMaxMessages: app.config.WS_RESUME_MAX_MESSAGES,
  });
}

export default fp(chatPlugin, {
  name: 'chat',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'auth', 'user-events', 'users', 'ws-gateway'],
});
