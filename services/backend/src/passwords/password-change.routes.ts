import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ChangePasswordBody, ErrorResponse } from '@ashchat/contracts';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import type { PasswordChangeService } from './password-change.service.js';

export interface PasswordChangeRoutesOptions {
  service: PasswordChangeService;
}

/** PUT /v1/me/password: the signed-in user changes their password. */
export default async function passwordChangeRoutes(app: FastifyInstance, opts: PasswordChangeRoutesOptions): Promise<void> {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponse);
  app.addSchema(ChangePasswordBody);

  app.put<{ Body: ChangePasswordBody }>(
    '/v1/me/password',
    {
      schema: {
        operationId: 'changeMyPassword',
        tags: ['users'],
        summary: 'Change my password',
        description: [
          'Needs the current password (`WRONG_PASSWORD` otherwise; attempts are limited per account, right or wrong).',
          'The new one must pass the password rule (`WEAK_PASSWORD`, `details.reason`). Every OTHER session of the',
          'account ends, its live connections included; the caller’s stays signed in. The owner gets a notice by mail.',
        ].join(' '),
        security: [{ bearerAuth: [] }],
        body: Type.Ref(ChangePasswordBody),
        response: {
          204: Type.Null({ description: 'Changed' }),
          ...errorResponses([...BODY_ERRORS, 'WEAK_PASSWORD', 'UNAUTHENTICATED', 'WRONG_PASSWORD', 'RATE_LIMITED', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      await opts.service.change({
        userId: request.userId,
        sessionId: request.sessionId,
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
      });
      return reply.code(204).send();
    },
  );
}
