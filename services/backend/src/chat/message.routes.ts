import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  ConversationParams,
  EditMessageBody,
  ListMessagesQuery,
  MarkReadBody,
  MessagePage,
  MessageParams,
  MessageView,
  ReadState,
  SendMessageBody,
} from '@ashchat/contracts';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import { BEARER_AUTH, MEMBER_ONLY } from './conversation.routes.js';
import type { MessageService } from './message.service.js';

const TAGS = ['messages'];
const DEFAULT_LIMIT = 50;

/** Messages of a conversation: send, page through, edit and delete one's own, mark read. Members only. */
export default function messageRoutes(app: FastifyInstance, service: MessageService): void {
  app.post<{ Params: ConversationParams; Body: SendMessageBody }>(
    '/v1/conversations/:id/messages',
    {
      schema: {
        operationId: 'sendMessage',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Send a message',
        description:
          'Sends as the caller. Idempotent per `clientMessageId`: sending again with the same one (a retry) answers the stored message with 200 instead of storing a second.',
        params: ConversationParams,
        body: Type.Ref(SendMessageBody),
        response: {
          200: Type.Ref(MessageView, { description: 'Already sent with this `clientMessageId`: the stored message' }),
          201: Type.Ref(MessageView, { description: 'The message was stored' }),
          ...errorResponses([...BODY_ERRORS, ...MEMBER_ONLY, 'REPLY_TARGET_NOT_FOUND', 'USER_BLOCKED']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      const { created, message } = await service.send(request.userId, request.params.id, request.body);
      return reply.code(created ? 201 : 200).send(message);
    },
  );

  app.get<{ Params: ConversationParams; Querystring: ListMessagesQuery }>(
    '/v1/conversations/:id/messages',
    {
      schema: {
        operationId: 'listMessages',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Read messages',
        description:
          'Newest first. Pass `nextCursor` as `before` for older ones: a walk visits every message that existed when it began exactly once, whatever is sent meanwhile.',
        params: ConversationParams,
        querystring: ListMessagesQuery,
        response: {
          200: Type.Ref(MessagePage, { description: 'One page of messages' }),
          ...errorResponses(['VALIDATION_FAILED', 'INVALID_CURSOR', ...MEMBER_ONLY]),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.list(request.userId, request.params.id, request.query.before, request.query.limit ?? DEFAULT_LIMIT),
  );

  app.patch<{ Params: MessageParams; Body: EditMessageBody }>(
    '/v1/conversations/:id/messages/:messageId',
    {
      schema: {
        operationId: 'editMessage',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Edit an own message',
        description: 'Replaces the text of one of the caller’s messages and sets `editedAt`. Deleted messages cannot be edited.',
        params: MessageParams,
        body: Type.Ref(EditMessageBody),
        response: {
          200: Type.Ref(MessageView, { description: 'The edited message' }),
          ...errorResponses([...BODY_ERRORS, ...MEMBER_ONLY, 'MESSAGE_NOT_FOUND', 'NOT_MESSAGE_SENDER', 'MESSAGE_DELETED']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.edit(request.userId, request.params.id, request.params.messageId, request.body.body),
  );

  app.delete<{ Params: MessageParams }>(
    '/v1/conversations/:id/messages/:messageId',
    {
      schema: {
        operationId: 'deleteMessage',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Delete an own message',
        description: 'Removes the text of one of the caller’s messages and sets `deletedAt`; the message keeps its place. Deleting again changes nothing.',
        params: MessageParams,
        response: {
          200: Type.Ref(MessageView, { description: 'The deleted message (without its text)' }),
          ...errorResponses([...BODY_ERRORS, ...MEMBER_ONLY, 'MESSAGE_NOT_FOUND', 'NOT_MESSAGE_SENDER']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.remove(request.userId, request.params.id, request.params.messageId),
  );

  app.post<{ Params: ConversationParams; Body: MarkReadBody }>(
    '/v1/conversations/:id/read',
    {
      schema: {
        operationId: 'markConversationRead',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Mark read',
        description: 'Moves the caller’s read marker forward to a message of the conversation (never back); unread counts count the messages of others after it.',
        params: ConversationParams,
        body: Type.Ref(MarkReadBody),
        response: {
          200: Type.Ref(ReadState, { description: 'The read marker afterwards' }),
          ...errorResponses([...BODY_ERRORS, ...MEMBER_ONLY, 'MESSAGE_NOT_FOUND']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.markRead(request.userId, request.params.id, request.body.upTo),
  );
}
