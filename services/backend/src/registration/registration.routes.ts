import type { FastifyInstance } from 'fastify';
import {
  CreateRegistrationBody,
  ErrorResponse,
  RegistrationAccepted,
  RegistrationParams,
  RegistrationView,
  VerifyRegistrationBody,
} from '@ashchat/contracts';
import { AppError } from '../errors/app-error.js';
import { normalizeEmail } from '../users/email.js';
import type { RegistrationRateLimits, RegistrationRoute } from './registration.rate-limit.js';
import type { Registration, RegistrationService } from './registration.service.js';
import { registrationStatusUrl, toRegistrationAccepted, toRegistrationView } from './registration.view.js';

export interface RegistrationRoutesOptions {
  service: RegistrationService;
  limits: RegistrationRateLimits;
}

const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse };

/**
 * The registration REST API. Thin on purpose: the contract schemas validate, the rate limits run
 * before any work (hashing is expensive), the service holds the rules, the view renders.
 */
export default async function registrationRoutes(app: FastifyInstance, opts: RegistrationRoutesOptions): Promise<void> {
  const { service, limits } = opts;

  /** Loads the registration and counts the request against the IP and its e-mail (or the id when unknown). */
  async function limited(route: RegistrationRoute, ip: string, id: string): Promise<Registration> {
    const registration = await service.get(id);
    await limits.check(route, ip, registration?.emailNormalized ?? `id:${id}`);
    if (!registration) throw new AppError('REGISTRATION_NOT_FOUND');
    return registration;
  }

  app.post<{ Body: CreateRegistrationBody }>(
    '/v1/registrations',
    {
      schema: { body: CreateRegistrationBody, response: { 202: RegistrationAccepted, ...errors } },
      preHandler: async (request) => limits.check('create', request.ip, normalizeEmail(request.body.email)),
    },
    async (request, reply) => {
      const registration = await service.register(request.body);
      return reply.code(202).header('location', registrationStatusUrl(registration.id)).send(toRegistrationAccepted(registration));
    },
  );

  app.get<{ Params: RegistrationParams }>(
    '/v1/registrations/:id',
    { schema: { params: RegistrationParams, response: { 200: RegistrationView, ...errors } } },
    async (request) => toRegistrationView(await limited('status', request.ip, request.params.id)),
  );

  app.post<{ Params: RegistrationParams; Body: VerifyRegistrationBody }>(
    '/v1/registrations/:id/verification',
    {
      schema: { params: RegistrationParams, body: VerifyRegistrationBody, response: { 200: RegistrationView, 202: RegistrationView, ...errors } },
      preHandler: async (request) => {
        await limited('verify', request.ip, request.params.id);
      },
    },
    async (request, reply) => {
      const result = await service.verify(request.params.id, request.body.code);
      return reply.code(result.kind === 'completed' ? 200 : 202).send(toRegistrationView(result.registration));
    },
  );

  app.post<{ Params: RegistrationParams }>(
    '/v1/registrations/:id/resend',
    {
      schema: { params: RegistrationParams, response: { 202: RegistrationView, ...errors } },
      preHandler: async (request) => {
        await limited('resend', request.ip, request.params.id);
      },
    },
    async (request, reply) => reply.code(202).send(toRegistrationView(await service.resend(request.params.id))),
  );
}
