import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  AddMembersBody,
  ConversationPage,
  ConversationParams,
  ConversationView,
  CreateConversationBody,
  ListConversationsQuery,
  MemberList,
  MemberParams,
  MemberRemoved,
} from '@ashchat/contracts';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import type { ConversationService } from './conversation.service.js';
import type { InboxReader } from './inbox.reader.js';

const TAGS = ['conversations'];
/** Every chat route takes the access token as a bearer token (the scheme is declared by the OpenAPI plugin). */
export const BEARER_AUTH = [{ bearerAuth: [] }];
/** Every chat route: the caller must be signed in. */
export const SIGNED_IN = ['UNAUTHENTICATED', 'INTERNAL_ERROR'] as const;
/** Routes on one conversation: non-members get CONVERSATION_NOT_FOUND, so its existence stays hidden. */
export const MEMBER_ONLY = [...SIGNED_IN, 'CONVERSATION_NOT_FOUND'] as const;
const DEFAULT_LIMIT = 50;

/** Conversations: create (direct: found or created), list mine, add and remove group members. */
export default function conversationRoutes(app: FastifyInstance, service: ConversationService, inbox: InboxReader): void {
  app.post<{ Body: CreateConversationBody }>(
    '/v1/conversations',
    {
      schema: {
        operationId: 'createConversation',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Start a conversation',
        description: [
          'A direct conversation with one other user, or a group owned by the caller. There is at most one direct',
          'conversation per pair: asking again (even concurrently) answers the existing one with 200. Every member',
          'must be an existing user (`MEMBERS_NOT_FOUND` lists those that are not).',
        ].join(' '),
        body: Type.Ref(CreateConversationBody),
        response: {
          200: Type.Ref(ConversationView, { description: 'The direct conversation of the pair already existed' }),
          201: Type.Ref(ConversationView, { description: 'The conversation was created' }),
          ...errorResponses([...BODY_ERRORS, ...SIGNED_IN, 'SELF_CONVERSATION', 'MEMBERS_NOT_FOUND', 'USER_BLOCKED']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      const { created, conversation } = await service.create(request.userId, request.body);
      return reply.code(created ? 201 : 200).send(conversation);
    },
  );

  app.get<{ Querystring: ListConversationsQuery }>(
    '/v1/conversations',
    {
      schema: {
        operationId: 'listConversations',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'List my conversations',
        description: [
          'The caller’s conversations, most recent activity first, each with its newest message and the caller’s unread count.',
          'Paginated with `nextCursor`, which holds the position in the activity order: a page never repeats a conversation of an',
          'earlier one, and a conversation that gets a message while you page moves to the top (it arrives as a `message.new`',
          'event over the WebSocket, and the first page shows it) instead of appearing further down.',
        ].join(' '),
        querystring: ListConversationsQuery,
        response: {
          200: Type.Ref(ConversationPage, { description: 'One page of conversations' }),
          ...errorResponses(['VALIDATION_FAILED', 'INVALID_CURSOR', ...SIGNED_IN]),
        },
      },
      onRequest: app.authenticate,
    },
    // The page arrives as JSON text (see InboxReader), which Fastify sends as it is; it was built from the same views the schema describes.
    async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(await inbox.page(request.userId, request.query.before, request.query.limit ?? DEFAULT_LIMIT)),
  );

  app.post<{ Params: ConversationParams; Body: AddMembersBody }>(
    '/v1/conversations/:id/members',
    {
      schema: {
        operationId: 'addConversationMembers',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Add members to a group',
        description: 'The owner adds existing users to a group; users already members stay as they are. Direct conversations keep their two members.',
        params: ConversationParams,
        body: Type.Ref(AddMembersBody),
        response: {
          200: Type.Ref(ConversationView, { description: 'The group with its members' }),
          ...errorResponses([...BODY_ERRORS, ...MEMBER_ONLY, 'MEMBERS_NOT_FOUND', 'NOT_CONVERSATION_OWNER', 'DIRECT_CONVERSATION_FIXED']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.addMembers(request.userId, request.params.id, request.body.members),
  );

  app.get<{ Params: ConversationParams }>(
    '/v1/conversations/:id/members',
    {
      schema: {
        operationId: 'listConversationMembers',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'List the members',
        description: [
          'Every member of the conversation in the order they joined, with their nickname and read marker (the newest',
          'message they have read, for "seen"). Members only; live changes arrive as `conversation.updated` and',
          '`receipt.updated` events over the WebSocket.',
        ].join(' '),
        params: ConversationParams,
        response: {
          200: Type.Ref(MemberList, { description: 'The members' }),
          ...errorResponses(['VALIDATION_FAILED', ...MEMBER_ONLY]),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.members(request.userId, request.params.id),
  );

  app.delete<{ Params: MemberParams }>(
    '/v1/conversations/:id/members/:userId',
    {
      schema: {
        operationId: 'removeConversationMember',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Remove a member, or leave',
        description: [
          'The owner removes a member of a group; any member removes themself (leaves). The owner can leave only',
          'once no other member is left. Direct conversations keep their two members.',
        ].join(' '),
        params: MemberParams,
        response: {
          200: Type.Ref(MemberRemoved, { description: 'The user is no longer a member' }),
          ...errorResponses([...BODY_ERRORS, ...MEMBER_ONLY, 'MEMBER_NOT_FOUND', 'NOT_CONVERSATION_OWNER', 'OWNER_CANNOT_LEAVE', 'DIRECT_CONVERSATION_FIXED']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => {
      await service.removeMember(request.userId, request.params.id, request.params.userId);
      return { conversationId: request.params.id, userId: request.params.userId };
    },
  );
}
