import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DeviceList, DeviceParams, DeviceView } from '@ashchat/contracts';
import { errorResponses } from '../errors/error-responses.js';
import type { DeviceService } from '../devices/device.service.js';
import type { SessionService } from './session.service.js';

export interface DeviceRoutesOptions {
  service: DeviceService;
  sessions: Pick<SessionService, 'deviceOfSession'>;
}

// Listed with the sessions: a device is where sessions run.
const TAGS = ['devices'];
const BEARER_AUTH = [{ bearerAuth: [] }];

/** The caller's trusted devices: list them, untrust one (its sessions end). */
export default async function deviceRoutes(app: FastifyInstance, opts: DeviceRoutesOptions): Promise<void> {
  const { service, sessions } = opts;
  for (const schema of [DeviceView, DeviceList]) if (!app.getSchema(schema.$id!)) app.addSchema(schema);

  app.get(
    '/v1/devices',
    {
      schema: {
        operationId: 'listDevices',
        tags: TAGS,
        summary: 'List my trusted devices',
        description: 'The devices the signed-in user’s account trusts (signing in from them needs no mailed code), most recently seen first; `current` marks the one of this session.',
        security: BEARER_AUTH,
        response: {
          200: Type.Ref(DeviceList, { description: 'The trusted devices' }),
          ...errorResponses(['UNAUTHENTICATED', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request): Promise<DeviceList> => {
      const current = await sessions.deviceOfSession(request.sessionId);
      return {
        devices: (await service.list(request.userId, current)).map((d) => ({
          ...d,
          trustedAt: d.trustedAt.toISOString(),
          lastSeenAt: d.lastSeenAt.toISOString(),
        })),
      };
    },
  );

  app.delete<{ Params: DeviceParams }>(
    '/v1/devices/:id',
    {
      schema: {
        operationId: 'deleteDevice',
        tags: TAGS,
        summary: 'Untrust a device',
        description: 'The device is no longer trusted (its next sign-in gets a mailed code) and every session on it ends at once, this one included when it is the current device. Any other id is `DEVICE_NOT_FOUND`.',
        security: BEARER_AUTH,
        params: DeviceParams,
        response: {
          204: Type.Null({ description: 'Untrusted; its sessions ended' }),
          ...errorResponses(['VALIDATION_FAILED', 'UNAUTHENTICATED', 'DEVICE_NOT_FOUND', 'SESSION_BUSY', 'INTERNAL_ERROR']),
        },
      },
      onRequest: app.authenticate,
    },
    async (request, reply) => {
      await service.untrust(request.userId, request.params.id);
      return reply.code(204).send();
    },
  );
}
