import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { AttachmentView, AvatarView, ErrorResponse } from '@ashchat/contracts';
import { createWriteLock } from '../database/write.lock.js';
import { createAttachmentRepository, type AttachmentRepository } from './attachment.repository.js';
import { createAttachmentService, type AttachmentService } from './attachment.service.js';
import attachmentRoutes from './attachment.routes.js';
import { createAvatarService, type AvatarService } from './avatar.service.js';
import avatarRoutes from './avatar.routes.js';
import type { BlobStore } from './blob.store.js';
import { createGridFsStore } from './gridfs.store.js';
import type { MessageAttachments } from '../chat/message.attachments.js';

/** What the plugin decorates the instance with (`app.files`). */
export interface FilesModule {
  blobs: BlobStore;
  attachments: AttachmentService;
  avatars: AvatarService;
  repository: AttachmentRepository;
  /** Chat's view of attachments (claim on send, delete with the message). */
  messageAttachments: MessageAttachments;
  /** An account's files on its deletion: uploads in bounded batches, then the avatar. Each step repeatable. */
  departure: {
    deleteUploads(userId: string, limit: number): Promise<{ done: number; more: boolean }>;
    deleteAvatar(userId: string): Promise<void>;
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    files: FilesModule;
  }
}

const SWEEP_BATCH = 100;

/**
 * Attachments and avatars: bytes in a BlobStore (GridFS), records in `attachments`, routes for
 * upload and download. Registered before chat (which claims attachments on send); membership is
 * asked of chat when a request comes, so the order does not matter for it.
 */
async function filesPlugin(app: FastifyInstance): Promise<void> {
  const { config } = app;
  const blobs = createGridFsStore(app.mongo.db);
  const repository = createAttachmentRepository(app.mongo.db);
  const limits = { maxPixels: config.IMAGE_MAX_PIXELS };
  const attachments = createAttachmentService({ repository, blobs, limits, access: (userId, conversationId) => app.chat.access(userId, conversationId) });
  const withProfileLock = createWriteLock(app.redis, app.mongo.capabilities, { keyPrefix: 'user-profile-lock', ttlMs: 5_000, waitMs: 5_000, busy: 'PROFILE_BUSY' });
  const users = app.users.repository;
  const avatars = createAvatarService({
    blobs,
    limits,
    users: {
      avatarOf: async (userId) => (await users.findById(userId))?.avatar ?? null,
      swapAvatar: (userId, blobId) => withProfileLock(userId, () => users.setAvatar(userId, blobId)),
    },
  });
  const departure: FilesModule['departure'] = {
    deleteUploads: (userId, limit) => attachments.deleteUploadsOf(userId, limit),
    async deleteAvatar(userId) {
      // Bytes first, then the reference: a repeat after a crash finds the reference and deletes nothing twice.
      const current = (await users.findById(userId))?.avatar;
      if (!current) return;
      await blobs.delete(current);
      await withProfileLock(userId, () => users.setAvatar(userId, null));
    },
  };
  app.decorate('files', { blobs, attachments, avatars, repository, messageAttachments: attachments, departure });

  let sweep: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    repository.ensureIndexes().catch((err: unknown) => app.log.warn({ err }, 'attachment indexes not created yet'));
    sweep = setInterval(() => {
      attachments.sweep(config.ATTACHMENT_UNSENT_TTL_MS, SWEEP_BATCH).then(
        (deleted) => deleted > 0 && app.log.info({ deleted }, 'unsent or half-deleted attachments removed'),
        (err: unknown) => app.log.warn({ err }, 'attachment sweep failed; next try at the next interval'),
      );
    }, config.ATTACHMENT_SWEEP_INTERVAL_MS).unref();
  });
  app.addHook('onClose', async () => clearInterval(sweep));

  // Multipart only in this scope: every other route still takes JSON alone.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { files: 1, fields: 0, parts: 1, headerPairs: 100 } });
    for (const schema of [ErrorResponse, AttachmentView, AvatarView]) scope.addSchema(schema);
    attachmentRoutes(scope, { service: attachments, blobs, maxBytes: config.ATTACHMENT_MAX_BYTES });
    avatarRoutes(scope, { service: avatars, blobs, maxBytes: config.AVATAR_MAX_BYTES });
  });
}

export default fp(filesPlugin, {
  name: 'files',
  fastify: '5.x',
  dependencies: ['error-handler', 'mongo', 'redis', 'auth', 'users'],
});
