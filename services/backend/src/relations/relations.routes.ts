import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  BlockList,
  BlockParams,
  BlockRemoved,
  BlockView,
  ErrorResponse,
  MuteBody,
  MuteList,
  MuteParams,
  MuteRemoved,
  MuteView,
  type MuteBody as MuteBodyType,
  type BlockParams as BlockParamsType,
  type MuteParams as MuteParamsType,
} from '@ashchat/contracts';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import type { BlockService } from './block.service.js';
import type { MuteService } from './mute.service.js';

const SHARED_SCHEMAS = [MuteBody, MuteView, MuteList, MuteRemoved, BlockView, BlockList, BlockRemoved];
const TAGS = ['relations'];
const BEARER_AUTH = [{ bearerAuth: [] }];
const SIGNED_IN = ['UNAUTHENTICATED', 'INTERNAL_ERROR'] as const;

export interface RelationsRoutesOptions {
  mutes: MuteService;
  blocks: BlockService;
}

/** `/v1/me/mutes` and `/v1/me/blocks`: thin, the rules are in the services. */
export default async function relationsRoutes(app: FastifyInstance, opts: RelationsRoutesOptions): Promise<void> {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponse);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const { mutes, blocks } = opts;

  app.get(
    '/v1/me/mutes',
    {
      schema: {
        operationId: 'listMutes',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'List my muted conversations',
        description: 'The conversations the caller muted whose mute has not ended.',
        response: { 200: Type.Ref(MuteList, { description: 'My mutes' }), ...errorResponses(SIGNED_IN) },
      },
      onRequest: app.authenticate,
    },
    async (request) => mutes.list(request.userId),
  );

  app.put<{ Params: MuteParamsType; Body: MuteBodyType }>(
    '/v1/me/mutes/:conversationId',
    {
      schema: {
        operationId: 'muteConversation',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Mute a conversation',
        description: [
          'Until a time (in the future) or, with `until: null`, until unmuted. A muted conversation sends no missed-message',
          'mail and no mention alert; its unread messages are still counted. Muting again replaces the end. Members only.',
        ].join(' '),
        params: MuteParams,
        body: Type.Ref(MuteBody),
        response: {
          200: Type.Ref(MuteView, { description: 'The conversation is muted' }),
          ...errorResponses([...BODY_ERRORS, ...SIGNED_IN, 'MUTE_IN_PAST', 'CONVERSATION_NOT_FOUND']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => {
      const { until } = request.body;
      return mutes.mute(request.userId, request.params.conversationId, until === null ? null : new Date(until));
    },
  );

  app.delete<{ Params: MuteParamsType }>(
    '/v1/me/mutes/:conversationId',
    {
      schema: {
        operationId: 'unmuteConversation',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Unmute a conversation',
        description: 'Ends the mute at once; unmuting a conversation that is not muted changes nothing. Members only.',
        params: MuteParams,
        response: {
          200: Type.Ref(MuteRemoved, { description: 'The conversation is not muted' }),
          ...errorResponses(['VALIDATION_FAILED', ...SIGNED_IN, 'CONVERSATION_NOT_FOUND']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => {
      await mutes.unmute(request.userId, request.params.conversationId);
      return { conversationId: request.params.conversationId, muted: false as const };
    },
  );

  app.get(
    '/v1/me/blocks',
    {
      schema: {
        operationId: 'listBlocks',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'List the users I blocked',
        description: 'The users the caller blocked, with their nicknames. Who blocked the caller is not shown.',
        response: { 200: Type.Ref(BlockList, { description: 'The users I blocked' }), ...errorResponses(SIGNED_IN) },
      },
      onRequest: app.authenticate,
    },
    async (request) => blocks.list(request.userId),
  );

  app.put<{ Params: BlockParamsType }>(
    '/v1/me/blocks/:userId',
    {
      schema: {
        operationId: 'blockUser',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Block a user',
        description: [
          'From now on neither of you can start a direct conversation with the other or send into your direct conversation',
          '(`USER_BLOCKED`), and neither sees the other’s presence or typing. Shared groups are unaffected. Blocking again',
          'changes nothing.',
        ].join(' '),
        params: BlockParams,
        response: {
          200: Type.Ref(BlockView, { description: 'The user is blocked' }),
          ...errorResponses(['VALIDATION_FAILED', ...SIGNED_IN, 'SELF_BLOCK', 'USER_NOT_FOUND']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => blocks.block(request.userId, request.params.userId),
  );

  app.delete<{ Params: BlockParamsType }>(
    '/v1/me/blocks/:userId',
    {
      schema: {
        operationId: 'unblockUser',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Unblock a user',
        description: 'Restores direct messages, presence and typing between you at once (unless they blocked you too).',
        params: BlockParams,
        response: {
          200: Type.Ref(BlockRemoved, { description: 'The user is not blocked' }),
          ...errorResponses(['VALIDATION_FAILED', ...SIGNED_IN, 'SELF_BLOCK']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => {
      await blocks.unblock(request.userId, request.params.userId);
      return { userId: request.params.userId, blocked: false as const };
    },
  );
}
