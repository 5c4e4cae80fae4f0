import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import {
  CreateRegistrationBody,
  ErrorResponse,
  RegistrationAccepted,
  RegistrationParams,
  RegistrationView,
  VerifyRegistrationBody,
} from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import { BODY_ERRORS, errorResponses } from '../errors/error-responses.js';
import { normalizeEmail } from '../users/email.js';
import type { RegistrationRateLimits, RegistrationRoute } from './registration.rate-limit.js';
import type { Registration, RegistrationService } from './registration.service.js';
import { registrationStatusUrl, toRegistrationAccepted, toRegistrationView } from './registration.view.js';

export interface RegistrationRoutesOptions {
  service: RegistrationService;
  limits: RegistrationRateLimits;
}

/** The schemas the routes refer to by `$ref` (listed once in the OpenAPI document). */
const SHARED_SCHEMAS = [ErrorResponse, CreateRegistrationBody, VerifyRegistrationBody, RegistrationAccepted, RegistrationView];

const TAGS = ['registration'];

/** Refusals of every route that loads a registration by id. */
const LOADED = ['REGISTRATION_NOT_FOUND', 'RATE_LIMITED', 'INTERNAL_ERROR'] as const;
/** Refusals of a registration that does not (or not yet, or no longer) take a code. */
const NOT_AWAITING_CODE = [
  'REGISTRATION_PENDING',
  'VERIFICATION_IN_PROGRESS',
  'REGISTRATION_BUSY',
  'REGISTRATION_ALREADY_COMPLETED',
  'REGISTRATION_EXPIRED',
  'REGISTRATION_FAILED',
  'REGISTRATION_LOCKED',
] as const;

/** The reasons of a WEAK_PASSWORD refusal, as the 400 response of POST /v1/registrations documents them. */
const WEAK_PASSWORD_NOTE = [
  '`WEAK_PASSWORD` carries `details.reason`, the rule that refused the password (compared in Unicode NFC):',
  '`whitespace` (nothing but white space), `one-character` (one character repeated),',
  '`email` (the e-mail address or the part before its `@`, in any case), `common` (one of the most',
  'common passwords, in any case). Sign-in applies none of these rules.',
].join(' ');

/** `responses` with `note` appended to the description of the response under `status`. */
function withNote(responses: Record<number, TSchema>, status: number, note: string): Record<number, TSchema> {
  const response = responses[status];
  if (!response) throw new Error(`no ${status} response to annotate`);
  return { ...responses, [status]: { ...response, description: `${response.description ?? ''}\n\n${note}` } };
}

const registrationHeader = {
  location: Type.String({ description: 'The status URL of the new registration (same as `statusUrl`)' }),
};

/**
 * The registration REST API. Thin on purpose: the contract schemas validate, the rate limits run
 * before any work (hashing is expensive), the service holds the rules, the view renders.
 */
export default async function registrationRoutes(app: FastifyInstance, opts: RegistrationRoutesOptions): Promise<void> {
  const { service, limits } = opts;
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);

  /** Loads the registration and counts the request against the IP and its e-mail (or the id when unknown). */
  async function limited(route: RegistrationRoute, ip: string, id: string, read = service.get): Promise<Registration> {
    const registration = await read(id);
    await limits.check(route, ip, registration?.emailNormalized ?? `id:${id}`);
    if (!registration) throw new AppError('REGISTRATION_NOT_FOUND');
    return registration;
  }

  app.post<{ Body: CreateRegistrationBody }>(
    '/v1/registrations',
    {
      schema: {
        operationId: 'createRegistration',
        tags: TAGS,
        summary: 'Start a registration',
        description: [
          'Hashes the password and has a six-digit code mailed to the address. Answers at once: poll',
          '`statusUrl` (also the `Location`) until `awaiting-code`, then submit the code. The answer is the',
          'same whether or not the address already has an account (the mail tells its owner instead), so the',
          'API reveals no accounts. An obviously weak password is refused (`WEAK_PASSWORD`, see the 400',
          'response). Limited per client IP and per e-mail address, and in the verification mails one',
          'address receives per hour and per day (registrations and resends together).',
        ].join(' '),
        body: Type.Ref(CreateRegistrationBody),
        response: {
          202: Type.Ref(RegistrationAccepted, { description: 'Started; a code is on its way', headers: registrationHeader }),
          ...withNote(errorResponses([...BODY_ERRORS, 'WEAK_PASSWORD', 'RATE_LIMITED', 'INTERNAL_ERROR']), 400, WEAK_PASSWORD_NOTE),
        },
      },
      preHandler: async (request) => limits.check('create', request.ip, normalizeEmail(request.body.email)),
    },
    async (request, reply) => {
      const registration = await service.register(request.body);
      return reply.code(202).header('location', registrationStatusUrl(registration.id)).send(toRegistrationAccepted(registration));
    },
  );

  app.get<{ Params: RegistrationParams }>(
    '/v1/registrations/:id',
    {
      schema: {
        operationId: 'getRegistration',
        tags: TAGS,
        summary: 'Read a registration',
        description: 'Where the registration stands, for clients to poll. Limited per client IP and per e-mail address (more generously than the other routes).',
        params: RegistrationParams,
        response: {
          200: Type.Ref(RegistrationView, { description: 'The registration' }),
          ...errorResponses(['VALIDATION_FAILED', ...LOADED]),
        },
      },
    },
    async (request) => toRegistrationView(await limited('status', request.ip, request.params.id)),
  );

  app.post<{ Params: RegistrationParams; Body: VerifyRegistrationBody }>(
    '/v1/registrations/:id/verification',
    {
      schema: {
        operationId: 'verifyRegistration',
        tags: TAGS,
        summary: 'Submit the mailed code',
        description: [
          'Has the code checked and waits (a few seconds at most) for the verdict. A right code creates the',
          'account (200, `completed`); a wrong one is refused with `INVALID_CODE` and `details.attemptsLeft`',
          'until the registration locks. A code submitted while another is being checked is refused, not',
          'queued: wait for the first verdict. The `deviceId` sent with the right code becomes a trusted device of',
          'the account: signing in from it needs no mailed code. Limited per client IP and per e-mail address.',
        ].join(' '),
        params: RegistrationParams,
        body: Type.Ref(VerifyRegistrationBody),
        response: {
          200: Type.Ref(RegistrationView, { description: 'The code was right: the account exists (`completed`)' }),
          202: Type.Ref(RegistrationView, { description: 'The code is still being checked (`verifying`): poll the status' }),
          // A code is taken while "code sent" is still on its way: never REGISTRATION_PENDING here.
          ...errorResponses([...BODY_ERRORS, ...LOADED, ...NOT_AWAITING_CODE.filter((code) => code !== 'REGISTRATION_PENDING'), 'INVALID_CODE', 'VERIFIER_UNAVAILABLE']),
        },
      },
    },
    async (request, reply) => {
      // The rate limit needs only the e-mail, which never changes: a peek does, and verify starts
      // from it instead of reading the registration again.
      const guess = await limited('verify', request.ip, request.params.id, service.peek);
      const { code, deviceId, deviceName } = request.body;
      const result = await service.verify(request.params.id, code, { deviceId, deviceName }, guess);
      return reply.code(result.kind === 'completed' ? 200 : 202).send(toRegistrationView(result.registration));
    },
  );

  app.post<{ Params: RegistrationParams }>(
    '/v1/registrations/:id/resend',
    {
      schema: {
        operationId: 'resendRegistrationCode',
        tags: TAGS,
        summary: 'Mail a new code',
        description: [
          'Has a new code mailed; the previous one stops being valid. Allowed after a cooldown and a',
          'limited number of times (`resendAvailableAt`, `resendsLeft`). Limited per client IP and per e-mail address,',
          'and in the verification mails one address receives per hour and per day (registrations and resends together);',
          'a refused resend does not count as a mail.',
        ].join(' '),
        params: RegistrationParams,
        response: {
          202: Type.Ref(RegistrationView, { description: 'A new code is on its way (`pending`)' }),
          ...errorResponses([...BODY_ERRORS, ...LOADED, ...NOT_AWAITING_CODE, 'RESEND_LIMIT_REACHED', 'RESEND_COOLDOWN']),
        },
      },
      preHandler: async (request) => {
        await limited('resend', request.ip, request.params.id);
      },
    },
    async (request, reply) => reply.code(202).send(toRegistrationView(await service.resend(request.params.id))),
  );
}
