import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ConversationParams, ErrorResponse, MessageSearchHit, MessageSearchPage, MessageView, SearchMessagesQuery } from '@ashchat/contracts';
import { errorResponses } from '../errors/error-responses.js';
import { BEARER_AUTH, MEMBER_ONLY, SIGNED_IN } from '../chat/conversation.routes.js';
import type { SearchService } from './search.service.js';

const TAGS = ['messages'];
const DEFAULT_LIMIT = 20;
const QUERY_ERRORS = ['VALIDATION_FAILED', 'INVALID_TEXT', 'INVALID_SEARCH_QUERY', 'INVALID_CURSOR'] as const;
const PAGING =
  'Newest first. Pass `nextCursor` as `before` for older results. On servers without a text index the search looks at a bounded number of the newest messages per request (`SEARCH_SCAN_LIMIT`); then `complete` is false and `nextCursor` searches on below.';

/** Message search, thin: contract → service. */
export default async function searchRoutes(app: FastifyInstance, opts: { service: SearchService }): Promise<void> {
  // MessageView and ErrorResponse are also chat's: added here only where this scope does not see them.
  for (const schema of [ErrorResponse, MessageView, MessageSearchHit, MessageSearchPage]) if (!app.getSchema(schema.$id ?? '')) app.addSchema(schema);
  const { service } = opts;

  app.get<{ Params: ConversationParams; Querystring: SearchMessagesQuery }>(
    '/v1/conversations/:id/messages/search',
    {
      schema: {
        operationId: 'searchConversationMessages',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Search the messages of a conversation',
        description: `Messages of this conversation that contain every word of \`q\` (case and accents ignored); deleted ones never. Members only. ${PAGING}`,
        params: ConversationParams,
        querystring: SearchMessagesQuery,
        response: {
          200: Type.Ref(MessageSearchPage, { description: 'One page of results' }),
          ...errorResponses([...QUERY_ERRORS, ...MEMBER_ONLY]),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => {
      const { q, before, limit } = request.query;
      return service.inConversation(request.userId, request.params.id, q, before, limit ?? DEFAULT_LIMIT);
    },
  );

  app.get<{ Querystring: SearchMessagesQuery }>(
    '/v1/search/messages',
    {
      schema: {
        operationId: 'searchMessages',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Search my messages',
        description: `Messages of every conversation the caller is a member of that contain every word of \`q\` (case and accents ignored); deleted ones never. ${PAGING}`,
        querystring: SearchMessagesQuery,
        response: {
          200: Type.Ref(MessageSearchPage, { description: 'One page of results' }),
          ...errorResponses([...QUERY_ERRORS, ...SIGNED_IN]),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => {
      const { q, before, limit } = request.query;
      return service.everywhere(request.userId, q, before, limit ?? DEFAULT_LIMIT);
    },
  );
}
