import type { FastifyError, FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorResponse, ReactionParams, ReactionState } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import { errorResponses } from '../errors/error-responses.js';
import { BEARER_AUTH, MEMBER_ONLY } from './conversation.routes.js';
import type { ReactionService } from './reaction.service.js';

const TAGS = ['messages'];
const URL = '/v1/conversations/:id/messages/:messageId/reactions/:emoji';
const REFUSALS = ['VALIDATION_FAILED', 'INVALID_EMOJI', ...MEMBER_ONLY, 'MESSAGE_NOT_FOUND'] as const;

/** A path that fails its schema only at the emoji answers INVALID_EMOJI (its own code, as the text rule has INVALID_TEXT). */
function refusal(error: FastifyError): Error {
  const problems = error.validation ?? [];
  if (problems.length > 0 && problems.every((p) => p.instancePath === '/emoji')) return new AppError('INVALID_EMOJI');
  return error;
}

export interface ReactionRoutesOptions {
  reactions: ReactionService;
}

/** Reactions to messages: one emoji per call, members only, idempotent both ways. */
export default async function reactionRoutes(app: FastifyInstance, { reactions }: ReactionRoutesOptions): Promise<void> {
  for (const schema of [ErrorResponse, ReactionState]) if (!app.getSchema(schema.$id!)) app.addSchema(schema);

  app.put<{ Params: ReactionParams }>(
    URL,
    {
      schema: {
        operationId: 'addReaction',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'React to a message',
        description: [
          'Adds the caller’s reaction with one emoji (URL-encoded in the path). Idempotent: reacting again with the same',
          'emoji answers 200 with the same state and changes nothing. Every member’s devices get `reaction.updated` when',
          'something changed. A message takes at most 20 different emojis (`REACTION_LIMIT_REACHED`); deleted messages',
          'take none (`MESSAGE_DELETED`).',
        ].join(' '),
        params: ReactionParams,
        response: {
          200: Type.Ref(ReactionState, { description: 'The caller reacts with the emoji (now or already)' }),
          ...errorResponses([...REFUSALS, 'MESSAGE_DELETED', 'REACTION_LIMIT_REACHED']),
        },
      },
      attachValidation: true,
      onRequest: app.authenticate,
    },
    async (request) => {
      if (request.validationError) throw refusal(request.validationError as FastifyError);
      const { id, messageId, emoji } = request.params;
      return reactions.react(request.userId, id, messageId, emoji);
    },
  );

  app.delete<{ Params: ReactionParams }>(
    URL,
    {
      schema: {
        operationId: 'removeReaction',
        tags: TAGS,
        security: BEARER_AUTH,
        summary: 'Take a reaction back',
        description:
          'Removes the caller’s reaction with the emoji. Idempotent: 204 also when there was none. Every member’s devices get `reaction.updated` when one was removed.',
        params: ReactionParams,
        response: {
          204: Type.Null({ description: 'The caller no longer reacts with the emoji' }),
          ...errorResponses(REFUSALS),
        },
      },
      attachValidation: true,
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      if (request.validationError) throw refusal(request.validationError as FastifyError);
      const { id, messageId, emoji } = request.params;
      await reactions.unreact(request.userId, id, messageId, emoji);
      return reply.code(204).send();
    },
  );
}
