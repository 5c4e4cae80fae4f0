import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AttachmentParams, AttachmentView, ConversationParams } from '@ashchat/contracts';
import { errorResponses } from '../errors/error-responses.js';
import { BEARER_AUTH, MEMBER_ONLY } from '../chat/conversation.routes.js';
import type { AttachmentService } from './attachment.service.js';
import type { BlobStore } from './blob.store.js';
import { binaryResponse, sendBlob } from './blob.reply.js';
import { readOneFile } from './upload.reader.js';

const TAGS = ['files'];
const UPLOAD_ERRORS = ['FILE_MISSING', 'ATTACHMENT_TOO_LARGE', 'IMAGE_TOO_LARGE', ...MEMBER_ONLY] as const;
const DOWNLOAD_ERRORS = ['VALIDATION_FAILED', 'ATTACHMENT_NOT_FOUND', 'RANGE_NOT_SATISFIABLE', ...MEMBER_ONLY] as const;

export interface AttachmentRoutesOptions {
  service: AttachmentService;
  blobs: BlobStore;
  maxBytes: number;
}

/** Upload into a conversation, download by its members (the file and an image's thumbnail). */
export default function attachmentRoutes(app: FastifyInstance, { service, blobs, maxBytes }: AttachmentRoutesOptions): void {
  app.post<{ Params: ConversationParams }>(
    '/v1/conversations/:id/attachments',
    {
      schema: {
        operationId: 'uploadAttachment',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Upload a file',
        description: `One file as multipart/form-data (field \`file\`), at most ATTACHMENT_MAX_BYTES (default 10 MB): its type is read from the bytes, images (png, jpeg, gif, webp) get a thumbnail. Send it with a message through \`attachmentIds\`; an upload not sent within ATTACHMENT_UNSENT_TTL_MS (default a day) is deleted. Members only. This server takes up to ${maxBytes} bytes.`,
        consumes: ['multipart/form-data'],
        params: ConversationParams,
        response: {
          201: Type.Ref(AttachmentView, { description: 'The stored file' }),
          ...errorResponses(UPLOAD_ERRORS),
        },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      const view = await service.upload(request.userId, request.params.id, () => readOneFile(request, maxBytes));
      return reply.code(201).send(view);
    },
  );

  for (const part of ['file', 'thumbnail'] as const) {
    app.get<{ Params: AttachmentParams }>(
      part === 'file' ? '/v1/conversations/:id/attachments/:attachmentId' : '/v1/conversations/:id/attachments/:attachmentId/thumbnail',
      {
        schema: {
          operationId: part === 'file' ? 'downloadAttachment' : 'downloadAttachmentThumbnail',
          tags: TAGS,
          security: BEARER_AUTH,
          summary: part === 'file' ? 'Download a file' : 'Download an image’s thumbnail',
          description:
            part === 'file'
              ? 'Members only, once it was sent (the uploader before). Served with its detected type, `X-Content-Type-Options: nosniff`, a sandboxing CSP and `Content-Disposition: attachment` (safe images `inline`); ETag, single byte ranges (206, 416).'
              : 'A WebP at most 320 px on its longer side, for images only (ATTACHMENT_NOT_FOUND otherwise). Same rules as the file.',
          params: AttachmentParams,
          response: {
            200: binaryResponse(part === 'file' ? 'The file' : 'The thumbnail'),
            206: binaryResponse('The requested range'),
            ...errorResponses(DOWNLOAD_ERRORS),
          },
        },
        onRequest: app.authenticate,
      },
      async (request, reply) => {
        const download = await service.download(request.userId, request.params.id, request.params.attachmentId, part);
        return sendBlob(request, reply, blobs, download);
      },
    );
  }
}
