import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { CreateSessionBody, DeviceVerificationRequired, ErrorResponse, RefreshSessionBody, SessionList, SessionParams, SessionTokens, SessionView } from '@ashchat/contracts';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import { normalizeEmail } from '../users/email.js';
import { deviceChallengeUrl } from './device-challenge.view.js';
import { NO_STORE_HEADERS, noStore } from './no-store.js';
import deviceChallengeRoutes from './device-challenge.routes.js';
import deviceRoutes from './device.routes.js';

const SHARED_SCHEMAS = [CreateSessionBody, RefreshSessionBody, SessionTokens, DeviceVerificationRequired, SessionView, SessionList];
const TAGS = ['sessions'];
const BEARER_AUTH = [{ bearerAuth: [] }];


/**
 * Sign-in (with the device challenge of a new device), refresh, the caller's sessions and devices,
 * sign-out. Thin: the contract schemas validate, the services decide.
 */
export default async function sessionRoutes(app: FastifyInstance): Promise<void> {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponse);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const { sessions, limits } = app.auth;
  await app.register(deviceChallengeRoutes, { service: app.auth.challenges, limits });
  await app.register(deviceRoutes, { service: app.auth.devices, sessions });

  app.post<{ Body: CreateSessionBody }>(
    '/v1/sessions',
    {
      schema: {
        operationId: 'createSession',
        tags: TAGS,
        summary: 'Sign in',
        description: [
          'Checks the e-mail address and password and starts a session for this device: a short-lived',
          'access token (JWT) and a single-use refresh token. Every failure answers the same',
          '`INVALID_CREDENTIALS`, whether or not the address has an account. A device the account does not',
          'trust yet (`deviceId`) gets no tokens: a code is mailed to the account’s address (202), and',
          'POST /v1/sessions/challenges/{id} with that code answers the tokens. Only a right password',
          'ever leads there. Limited per client IP and per account.',
        ].join(' '),
        body: Type.Ref(CreateSessionBody),
        response: {
          201: Type.Ref(SessionTokens, { description: 'Signed in (a trusted device)', headers: NO_STORE_HEADERS }),
          202: Type.Ref(DeviceVerificationRequired, { description: 'A new device: a code was mailed; no tokens yet', headers: NO_STORE_HEADERS }),
          ...errorResponses([...BODY_ERRORS, 'INVALID_CREDENTIALS', 'RATE_LIMITED', 'INTERNAL_ERROR']),
        },
      },
      onRequest: noStore,
      preHandler: async (request) => limits.login(request.ip, normalizeEmail(request.body.email)),
    },
    async (request, reply) => {
      const result = await sessions.login(request.body);
      if (result.kind === 'signed-in') return reply.code(201).send(result.tokens);
      const statusUrl = deviceChallengeUrl(result.challengeId);
      return reply.code(202).header('location', statusUrl).send({ challengeId: result.challengeId, status: 'device-verification-required', statusUrl });
    },
  );

  app.post<{ Body: RefreshSessionBody }>(
    '/v1/sessions/refresh',
    {
      schema: {
        operationId: 'refreshSession',
        tags: TAGS,
        summary: 'Exchange a refresh token for new tokens',
        description: [
          'Answers a new access token and a new refresh token; the one presented stops working. Presenting',
          'a refresh token that was already exchanged ends the whole session (it was likely stolen):',
          'of two concurrent refreshes with the same token, one succeeds and the other ends the session.',
          'Limited per client IP.',
        ].join(' '),
        body: Type.Ref(RefreshSessionBody),
        response: {
          201: Type.Ref(SessionTokens, { description: 'New tokens', headers: NO_STORE_HEADERS }),
          ...errorResponses([...BODY_ERRORS, 'INVALID_REFRESH_TOKEN', 'SESSION_BUSY', 'RATE_LIMITED', 'INTERNAL_ERROR']),
        },
      },
      onRequest: noStore,
      preHandler: async (request) => limits.refresh(request.ip),
    },
    async (request, reply) => reply.code(201).send(await sessions.refresh(request.body.refreshToken)),
  );

  app.get(
    '/v1/sessions',
    {
      schema: {
        operationId: 'listSessions',
        tags: TAGS,
        summary: 'List my sessions',
        description: 'The signed-in user’s active sessions (one per sign-in on a device), newest first; `current` marks this one.',
        security: BEARER_AUTH,
        response: {
          200: Type.Ref(SessionList, { description: 'The active sessions' }),
          ...errorResponses(['UNAUTHENTICATED', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request): Promise<SessionList> => ({
      sessions: (await sessions.listSessions(request.userId, request.sessionId)).map((s) => ({
        ...s,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
      })),
    }),
  );

  app.delete<{ Params: SessionParams }>(
    '/v1/sessions/:id',
    {
      schema: {
        operationId: 'deleteSession',
        tags: TAGS,
        summary: 'End one of my sessions',
        description: 'Ends one of the signed-in user’s sessions (e.g. a lost phone): its refresh token and access tokens stop working at once, its WebSockets close. Any other id is `SESSION_NOT_FOUND`.',
        security: BEARER_AUTH,
        params: SessionParams,
        response: {
          204: Type.Null({ description: 'Ended' }),
          ...errorResponses(['VALIDATION_FAILED', 'UNAUTHENTICATED', 'SESSION_NOT_FOUND', 'SESSION_BUSY', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      await sessions.revokeOwnSession(request.userId, request.params.id);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/v1/sessions/current',
    {
      schema: {
        operationId: 'deleteCurrentSession',
        tags: TAGS,
        summary: 'Sign out this device',
        description: 'Ends the session of the access token: its refresh token and access tokens stop working at once.',
        security: BEARER_AUTH,
        response: {
          204: Type.Null({ description: 'Signed out' }),
          ...errorResponses(['UNAUTHENTICATED', 'SESSION_BUSY', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      await sessions.revokeSession(request.userId, request.sessionId);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/v1/sessions',
    {
      schema: {
        operationId: 'deleteAllSessions',
        tags: TAGS,
        summary: 'Sign out everywhere',
        description: 'Ends every session of the signed-in user, on every device, this one included.',
        security: BEARER_AUTH,
        response: {
          204: Type.Null({ description: 'Signed out everywhere' }),
          ...errorResponses(['UNAUTHENTICATED', 'SESSION_BUSY', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      await sessions.revokeAllSessions(request.userId);
      return reply.code(204).send();
    },
  );
}
