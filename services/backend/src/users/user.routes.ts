import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorResponse, MeView, UpdateMeBody, UserSearchPage, UserSearchQuery } from '@ashchat/contracts';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import { createRateLimiter } from '../rate-limit/rate-limiter.js';
import { createWriteLock } from '../database/write.lock.js';
import { createUserSearchLimit, createUserService } from './user.service.js';

const SHARED_SCHEMAS = [MeView, UpdateMeBody, UserSearchPage];
const TAGS = ['users'];
const BEARER_AUTH = [{ bearerAuth: [] }];
const DEFAULT_LIMIT = 20;

/** The signed-in user's account and the nickname search; every route needs an access token. */
export default async function userRoutes(app: FastifyInstance): Promise<void> {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponse);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const service = createUserService(
    app.users.repository,
    createWriteLock(app.redis, app.mongo.capabilities, { keyPrefix: 'user-profile-lock', ttlMs: 5_000, waitMs: 5_000, busy: 'PROFILE_BUSY' }),
    createUserSearchLimit(createRateLimiter(app.redis), { perWindow: app.config.USER_SEARCH_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 }),
  );

  app.get(
    '/v1/me',
    {
      schema: {
        operationId: 'getMe',
        tags: TAGS,
        summary: 'Read my account',
        description: 'The signed-in user’s own account, e-mail address included.',
        security: BEARER_AUTH,
        response: {
          200: Type.Ref(MeView, { description: 'My account' }),
          ...errorResponses(['UNAUTHENTICATED', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.getMe(request.userId),
  );

  app.patch<{ Body: UpdateMeBody }>(
    '/v1/me',
    {
      schema: {
        operationId: 'updateMe',
        tags: TAGS,
        summary: 'Change my profile',
        description: 'Changes the nickname, the preferred language, the description, the missed-message mails and/or auto-translation (at least one); answers the account as changed.',
        security: BEARER_AUTH,
        body: Type.Ref(UpdateMeBody),
        response: {
          200: Type.Ref(MeView, { description: 'My account, changed' }),
          ...errorResponses([...BODY_ERRORS, 'UNAUTHENTICATED', 'PROFILE_BUSY', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => {
      const me = await service.updateMe(request.userId, request.body);
      // The language and auto-translation setting this instance reads for sends and translations.
      app.users.translationProfiles.forget(request.userId);
      return me;
    },
  );

  app.get<{ Querystring: UserSearchQuery }>(
    '/v1/users',
    {
      schema: {
        operationId: 'searchUsers',
        tags: TAGS,
        summary: 'Find users by nickname',
        description: [
          'Users whose nickname starts with `query` (case-insensitive), ordered by nickname, one page at a',
          'time: pass `nextCursor` back as `cursor` for the next. Answers ids and nicknames only, never e-mail addresses.',
        ].join(' '),
        security: BEARER_AUTH,
        querystring: UserSearchQuery,
        response: {
          200: Type.Ref(UserSearchPage, { description: 'One page of users' }),
          ...errorResponses(['VALIDATION_FAILED', 'INVALID_CURSOR', 'UNAUTHENTICATED', 'RATE_LIMITED', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request) => service.search(request.userId, request.query.query, request.query.limit ?? DEFAULT_LIMIT, request.query.cursor),
  );
}
