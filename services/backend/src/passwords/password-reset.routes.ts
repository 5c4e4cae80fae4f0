import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  CreatePasswordResetBody,
  ErrorResponse,
  PasswordResetAccepted,
  PasswordResetParams,
  PasswordResetView,
  VerifyPasswordResetBody,
} from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import type { RegistrationRateLimits, RegistrationRoute } from '../registration/registration.rate-limit.js';
import { normalizeEmail } from '../users/email.js';
import type { PasswordReset, PasswordResetService } from './password-reset.service.js';
import { passwordResetStatusUrl, toPasswordResetAccepted, toPasswordResetView } from './password-reset.view.js';

export interface PasswordResetRoutesOptions {
  service: PasswordResetService;
  limits: RegistrationRateLimits;
}

const SHARED_SCHEMAS = [CreatePasswordResetBody, VerifyPasswordResetBody, PasswordResetAccepted, PasswordResetView];
const TAGS = ['password-reset'];

/** Refusals of every route that loads a reset by id. */
const LOADED = ['PASSWORD_RESET_NOT_FOUND', 'RATE_LIMITED', 'INTERNAL_ERROR'] as const;
/** Refusals of a reset that does not (or not yet, or no longer) take a code. */
const NOT_AWAITING_CODE = [
  'CODE_FLOW_PENDING',
  'VERIFICATION_IN_PROGRESS',
  'CODE_FLOW_BUSY',
  'CODE_FLOW_COMPLETED',
  'CODE_FLOW_EXPIRED',
  'CODE_FLOW_FAILED',
  'CODE_FLOW_LOCKED',
] as const;

const resetHeader = { location: Type.String({ description: 'The status URL of the new reset (same as `statusUrl`)' }) };

/** The password-reset REST API; thin like the registration's (limits first, the service holds the rules). */
export default async function passwordResetRoutes(app: FastifyInstance, opts: PasswordResetRoutesOptions): Promise<void> {
  const { service, limits } = opts;
  if (!app.getSchema('ErrorResponse')) app.addSchema(ErrorResponse);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  /** Loads the reset and counts the request against the IP and its address (or the id when unknown). */
  async function limited(route: RegistrationRoute, ip: string, id: string): Promise<PasswordReset> {
    const reset = await service.get(id);
    await limits.check(route, ip, reset?.emailNormalized ?? `id:${id}`);
    if (!reset) throw new AppError('PASSWORD_RESET_NOT_FOUND');
    return reset;
  }

  app.post<{ Body: CreatePasswordResetBody }>(
    '/v1/password-resets',
    {
      schema: {
        operationId: 'createPasswordReset',
        tags: TAGS,
        summary: 'Start a password reset',
        description: [
          'Has a six-digit code mailed to the address if it has an account. The answer (and the work behind it)',
          'is the same whether or not it has one, so the API reveals no accounts: poll `statusUrl` (also the',
          '`Location`) until `awaiting-code`, then submit the code with the new password. Limited per client IP',
          'and per address, and in the reset mails one address receives per hour and per day (starts and resends together).',
        ].join(' '),
        body: Type.Ref(CreatePasswordResetBody),
        response: {
          202: Type.Ref(PasswordResetAccepted, { description: 'Started', headers: resetHeader }),
          ...errorResponses([...BODY_ERRORS, 'RATE_LIMITED', 'INTERNAL_ERROR']),
        },
      },
      preHandler: async (request) => limits.check('create', request.ip, normalizeEmail(request.body.email)),
    },
    async (request, reply) => {
      const reset = await service.start(request.body.email);
      return reply.code(202).header('location', passwordResetStatusUrl(reset.id)).send(toPasswordResetAccepted(reset));
    },
  );

  app.get<{ Params: PasswordResetParams }>(
    '/v1/password-resets/:id',
    {
      schema: {
        operationId: 'getPasswordReset',
        tags: TAGS,
        summary: 'Read a password reset',
        description: 'Where the reset stands, for clients to poll. Limited per client IP and per address (more generously than the other routes).',
        params: PasswordResetParams,
        response: {
          200: Type.Ref(PasswordResetView, { description: 'The reset' }),
          ...errorResponses(['VALIDATION_FAILED', ...LOADED]),
        },
      },
    },
    async (request) => toPasswordResetView(await limited('status', request.ip, request.params.id)),
  );

  app.post<{ Params: PasswordResetParams; Body: VerifyPasswordResetBody }>(
    '/v1/password-resets/:id/verification',
    {
      schema: {
        operationId: 'verifyPasswordReset',
        tags: TAGS,
        summary: 'Submit the mailed code and the new password',
        description: [
          'Checks the new password against the password rule first (`WEAK_PASSWORD`, `details.reason`: the code is',
          'not used), then has the code checked and waits (a few seconds at most) for the verdict. A right code stores',
          'the new password and ends EVERY session of the account, its live connections included (200, `completed`);',
          'the owner gets a notice by mail. A wrong one is refused with `INVALID_CODE` and `details.attemptsLeft` until',
          'the reset locks. A code submitted while another is being checked is refused, not queued.',
          'Limited per client IP and per address.',
        ].join(' '),
        params: PasswordResetParams,
        body: Type.Ref(VerifyPasswordResetBody),
        response: {
          200: Type.Ref(PasswordResetView, { description: 'The code was right: the new password is set (`completed`)' }),
          202: Type.Ref(PasswordResetView, { description: 'The code is still being checked (`verifying`): poll the status' }),
          ...errorResponses([...BODY_ERRORS, ...LOADED, ...NOT_AWAITING_CODE, 'WEAK_PASSWORD', 'INVALID_CODE', 'VERIFIER_UNAVAILABLE']),
        },
      },
      preHandler: async (request) => {
        await limited('verify', request.ip, request.params.id);
      },
    },
    async (request, reply) => {
      const result = await service.verify(request.params.id, request.body.code, request.body.newPassword);
      return reply.code(result.kind === 'completed' ? 200 : 202).send(toPasswordResetView(result.reset));
    },
  );

  app.post<{ Params: PasswordResetParams }>(
    '/v1/password-resets/:id/resend',
    {
      schema: {
        operationId: 'resendPasswordResetCode',
        tags: TAGS,
        summary: 'Mail a new reset code',
        description: [
          'Has a new code mailed; the previous one stops being valid. Allowed after a cooldown and a limited number',
          'of times (`resendAvailableAt`, `resendsLeft`). Limited like the other routes and in the reset mails per',
          'address; a refused resend does not count as a mail.',
        ].join(' '),
        params: PasswordResetParams,
        response: {
          202: Type.Ref(PasswordResetView, { description: 'A new code is on its way (`pending`)' }),
          ...errorResponses([...BODY_ERRORS, ...LOADED, ...NOT_AWAITING_CODE, 'RESEND_LIMIT_REACHED', 'RESEND_COOLDOWN']),
        },
      },
      preHandler: async (request) => {
        await limited('resend', request.ip, request.params.id);
      },
    },
    async (request, reply) => reply.code(202).send(toPasswordResetView(await service.resend(request.params.id))),
  );
}
