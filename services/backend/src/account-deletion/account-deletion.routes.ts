import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AccountDeletionParams, AccountDeletionView, DeleteAccountBody, ErrorResponse } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import type { AccountDeletionService } from './account-deletion.service.js';
import { accountDeletionStatusUrl, toAccountDeletionView } from './account-deletion.view.js';

export interface AccountDeletionRoutesOptions {
  service: AccountDeletionService;
}

const TAGS = ['users'];
const BEARER_AUTH = [{ bearerAuth: [] }];

/** DELETE /v1/me and the deletion's status. Thin: the contract validates, the service decides, the view renders. */
export default async function accountDeletionRoutes(app: FastifyInstance, opts: AccountDeletionRoutesOptions): Promise<void> {
  const { service } = opts;
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponse);
  for (const schema of [DeleteAccountBody, AccountDeletionView]) if (!app.getSchema(schema.$id!)) app.addSchema(schema);

  app.delete<{ Body: DeleteAccountBody }>(
    '/v1/me',
    {
      schema: {
        operationId: 'deleteMe',
        tags: TAGS,
        summary: 'Delete my account',
        description: [
          'Confirmed with the password; answers at once and deletes in the background, surviving restarts:',
          'every session ends (live connections close), groups I own pass to the member who joined earliest',
          '(a group with nobody else is closed), I leave every conversation, my messages stay as tombstones',
          '(no body, the deleted-user id as sender), then the profile, devices and sessions go, the address',
          'becomes free and a notice is mailed to it. Follow `statusUrl` (no token needed) until `completed`.',
          'Asking again while it runs answers the same deletion. Password attempts are limited per account.',
        ].join(' '),
        security: BEARER_AUTH,
        body: Type.Ref(DeleteAccountBody),
        response: {
          202: Type.Ref(AccountDeletionView, {
            description: 'The deletion runs (`deleting`)',
            headers: { location: Type.String({ description: 'The status URL (same as `statusUrl`)' }) },
          }),
          ...errorResponses([...BODY_ERRORS, 'UNAUTHENTICATED', 'WRONG_PASSWORD', 'RATE_LIMITED', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      const deletion = await service.start(request.userId, request.body.password);
      return reply.code(202).header('location', accountDeletionStatusUrl(deletion.id)).send(toAccountDeletionView(deletion));
    },
  );

  app.get<{ Params: AccountDeletionParams }>(
    '/v1/account-deletions/:id',
    {
      schema: {
        operationId: 'getAccountDeletion',
        tags: TAGS,
        summary: 'Follow an account deletion',
        description: 'Where a deletion stands. Needs no token (the account and its sessions go); the id is unguessable.',
        params: AccountDeletionParams,
        response: {
          200: Type.Ref(AccountDeletionView, { description: 'The deletion' }),
          ...errorResponses(['VALIDATION_FAILED', 'ACCOUNT_DELETION_NOT_FOUND', 'INTERNAL_ERROR']),
        },
      },
    },
    async (request) => {
      const deletion = await service.get(request.params.id);
      if (!deletion) throw new AppError('ACCOUNT_DELETION_NOT_FOUND');
      return toAccountDeletionView(deletion);
    },
  );
}
