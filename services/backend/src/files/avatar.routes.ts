import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AvatarView, UserAvatarParams, UserAvatarQuery } from '@ashchat/contracts';
import { errorResponses } from '../errors/error-responses.js';
import { BEARER_AUTH } from '../chat/conversation.routes.js';
import type { AvatarService } from './avatar.service.js';
import type { BlobStore } from './blob.store.js';
import { binaryResponse, sendBlob } from './blob.reply.js';
import { readOneFile } from './upload.reader.js';

const TAGS = ['users'];

/** The signed-in user's avatar (set, remove) and anyone's avatar for signed-in users. */
export default function avatarRoutes(app: FastifyInstance, opts: { service: AvatarService; blobs: BlobStore; maxBytes: number }): void {
  const { service, blobs, maxBytes } = opts;
  app.put(
    '/v1/me/avatar',
    {
      schema: {
        operationId: 'putAvatar',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Set the avatar',
        description: 'One image (png, jpeg, gif, webp) as multipart/form-data (field `file`), at most AVATAR_MAX_BYTES (default 2 MB); stored as a 256 px square WebP without the original’s metadata. Replaces the previous one.',
        consumes: ['multipart/form-data'],
        response: {
          200: Type.Ref(AvatarView, { description: 'Where the new avatar is served' }),
          ...errorResponses(['UNAUTHENTICATED', 'FILE_MISSING', 'ATTACHMENT_TOO_LARGE', 'IMAGE_REQUIRED', 'IMAGE_TOO_LARGE']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.put(request.userId, () => readOneFile(request, maxBytes)),
  );

  app.delete(
    '/v1/me/avatar',
    {
      schema: {
        operationId: 'deleteAvatar',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Remove the avatar',
        description: 'Removing when there is none changes nothing.',
        response: { 200: Type.Ref(AvatarView, { description: 'No avatar any more' }), ...errorResponses(['UNAUTHENTICATED']) },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.remove(request.userId),
  );

  app.get<{ Params: UserAvatarParams; Querystring: UserAvatarQuery }>(
    '/v1/users/:id/avatar',
    {
      schema: {
        operationId: 'getAvatar',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'A user’s avatar',
        description: 'For signed-in users. With the `v` of `avatarUrl` it may be cached for good (`immutable`); without it, revalidate (ETag).',
        params: UserAvatarParams,
        querystring: UserAvatarQuery,
        response: { 200: binaryResponse('The avatar (WebP)'), ...errorResponses(['UNAUTHENTICATED', 'VALIDATION_FAILED', 'AVATAR_NOT_FOUND', 'RANGE_NOT_SATISFIABLE']) },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => sendBlob(request, reply, blobs, await service.get(request.params.id, request.query.v)),
  );
}
