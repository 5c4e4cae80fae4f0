import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { CreateSessionBody, DeviceVerificationRequired, ErrorResponse, RefreshSessionBody, SessionTokens } from '@ashchat/contracts';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import { normalizeEmail } from '../users/email.js';

/** Where a device challenge is polled and answered. */
export const deviceChallengeUrl = (id: string): string => `/v1/sessions/challenges/${id}`;

const SHARED_SCHEMAS = [CreateSessionBody, RefreshSessionBody, SessionTokens, DeviceVerificationRequired];
const TAGS = ['sessions'];
const BEARER_AUTH = [{ bearerAuth: [] }];

/**
 * Answers carrying tokens must not be stored by any cache (RFC 6749 §5.1): set before the handler,
 * so refusals of these routes say the same.
 */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;
async function noStore(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  void reply.headers(NO_STORE);
}
const NO_STORE_HEADERS = {
  'cache-control': Type.Literal('no-store', { description: 'Tokens are never cached (RFC 6749 §5.1)' }),
  pragma: Type.Literal('no-cache', { description: 'The same, for HTTP/1.0 caches' }),
};

/** Sign-in, refresh and sign-out. Thin: the contract schemas validate, the session service decides. */
export default async function sessionRoutes(app: FastifyInstance): Promise<void> {
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponse);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  const { sessions, limits } = app.auth;

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
