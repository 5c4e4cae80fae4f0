import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ChallengeParams, DenyDeviceChallengeBody, DeviceChallengeView, SessionTokens, VerifyDeviceChallengeBody } from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import type { AuthRateLimits } from './auth.rate-limit.js';
import type { DeviceChallengeService } from './device-challenge.service.js';
import { toDeviceChallengeView } from './device-challenge.view.js';
import { NO_STORE_HEADERS, noStore } from './no-store.js';

export interface DeviceChallengeRoutesOptions {
  service: DeviceChallengeService;
  limits: Pick<AuthRateLimits, 'challenge'>;
}

const TAGS = ['sessions'];
const SHARED_SCHEMAS = [DeviceChallengeView, VerifyDeviceChallengeBody, DenyDeviceChallengeBody];
/** Refusals of every route that loads a challenge. */
const LOADED = ['VALIDATION_FAILED', 'DEVICE_CHALLENGE_NOT_FOUND', 'RATE_LIMITED', 'INTERNAL_ERROR'] as const;
/** Refusals of a challenge that does not (or not yet, or no longer) take a code. */
const NOT_AWAITING_CODE = [
  'CODE_FLOW_PENDING',
  'VERIFICATION_IN_PROGRESS',
  'CODE_FLOW_BUSY',
  'CODE_FLOW_COMPLETED',
  'CODE_FLOW_EXPIRED',
  'CODE_FLOW_FAILED',
  'CODE_FLOW_LOCKED',
  'CODE_FLOW_DENIED',
] as const;

/** A sign-in from a new device: poll, submit the mailed code (→ tokens), resend, or refuse from the mail. */
export default async function deviceChallengeRoutes(app: FastifyInstance, opts: DeviceChallengeRoutesOptions): Promise<void> {
  const { service, limits } = opts;
  for (const schema of SHARED_SCHEMAS) if (!app.getSchema(schema.$id!)) app.addSchema(schema);

  app.get<{ Params: ChallengeParams }>(
    '/v1/sessions/challenges/:id',
    {
      schema: {
        operationId: 'getDeviceChallenge',
        tags: TAGS,
        summary: 'Read a device challenge',
        description: 'Where the challenge of a sign-in from a new device stands, for clients to poll. Limited per client IP.',
        params: ChallengeParams,
        response: { 200: Type.Ref(DeviceChallengeView, { description: 'The challenge' }), ...errorResponses([...LOADED]) },
      },
      preHandler: async (request) => limits.challenge(request.ip, 'read'),
    },
    async (request) => {
      const challenge = await service.get(request.params.id);
      if (!challenge) throw new AppError('DEVICE_CHALLENGE_NOT_FOUND');
      return toDeviceChallengeView(challenge);
    },
  );

  app.post<{ Params: ChallengeParams; Body: VerifyDeviceChallengeBody }>(
    '/v1/sessions/challenges/:id',
    {
      schema: {
        operationId: 'verifyDeviceChallenge',
        tags: TAGS,
        summary: 'Submit the mailed sign-in code',
        description: [
          'Has the code checked and waits (a few seconds at most) for the verdict. A right code makes the device',
          'trusted and answers the session’s tokens (201) — once: afterwards the challenge is `completed` (409)',
          'and signing in from the device needs no code. A wrong code is refused with `INVALID_CODE` and',
          '`details.attemptsLeft` until the challenge locks. An account deleted (or being deleted) meanwhile gets',
          '`INVALID_CREDENTIALS`. Limited per client IP.',
        ].join(' '),
        params: ChallengeParams,
        body: Type.Ref(VerifyDeviceChallengeBody),
        response: {
          201: Type.Ref(SessionTokens, { description: 'The code was right: signed in, the device is trusted', headers: NO_STORE_HEADERS }),
          202: Type.Ref(DeviceChallengeView, { description: 'The code is still being checked (`verifying`): poll the status' }),
          ...errorResponses([...BODY_ERRORS, ...LOADED, ...NOT_AWAITING_CODE, 'INVALID_CODE', 'VERIFIER_UNAVAILABLE', 'INVALID_CREDENTIALS']),
        },
      },
      onRequest: noStore,
      preHandler: async (request) => limits.challenge(request.ip, 'write'),
    },
    async (request, reply) => {
      const result = await service.verify(request.params.id, request.body.code);
      if (result.kind === 'signed-in') return reply.code(201).send(result.tokens);
      return reply.code(202).send(toDeviceChallengeView(result.challenge));
    },
  );

  app.post<{ Params: ChallengeParams }>(
    '/v1/sessions/challenges/:id/resend',
    {
      schema: {
        operationId: 'resendDeviceChallengeCode',
        tags: TAGS,
        summary: 'Mail a new sign-in code',
        description: 'Has a new code mailed; the previous one stops being valid. Allowed after a cooldown and a limited number of times (`resendAvailableAt`, `resendsLeft`). Limited per client IP.',
        params: ChallengeParams,
        response: {
          202: Type.Ref(DeviceChallengeView, { description: 'A new code is on its way (`pending`)' }),
          ...errorResponses([...LOADED, ...NOT_AWAITING_CODE, 'RESEND_LIMIT_REACHED', 'RESEND_COOLDOWN']),
        },
      },
      preHandler: async (request) => limits.challenge(request.ip, 'write'),
    },
    async (request, reply) => reply.code(202).send(toDeviceChallengeView(await service.resend(request.params.id))),
  );

  app.post<{ Params: ChallengeParams; Body: DenyDeviceChallengeBody }>(
    '/v1/sessions/challenges/:id/denial',
    {
      schema: {
        operationId: 'denyDeviceChallenge',
        tags: TAGS,
        summary: 'Refuse a sign-in from the mail ("this was not me")',
        description: [
          'Ends the challenge `denied` with the token of the mail’s link: the device never gets a session from it.',
          'Repeating it answers the same. Too late once the code was confirmed (409 `CODE_FLOW_COMPLETED`:',
          'untrust the device instead, DELETE /v1/devices/{id}). A challenge already over otherwise is shown as it',
          'ended. The token is checked before anything is read. Limited per client IP.',
        ].join(' '),
        params: ChallengeParams,
        body: Type.Ref(DenyDeviceChallengeBody),
        response: {
          200: Type.Ref(DeviceChallengeView, { description: 'Refused (`denied`), or already over' }),
          ...errorResponses([...BODY_ERRORS, ...LOADED, 'INVALID_DENIAL_TOKEN', 'CODE_FLOW_COMPLETED', 'CODE_FLOW_BUSY']),
        },
      },
      preHandler: async (request) => limits.challenge(request.ip, 'write'),
    },
    async (request) => toDeviceChallengeView(await service.deny(request.params.id, request.body.token)),
  );
}
