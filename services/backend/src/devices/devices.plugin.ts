import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createDeviceRepository, type DeviceRepository } from './device.repository.js';

/** What the plugin decorates the instance with (`app.devices`). */
export interface DevicesModule {
  /** The one repository of the `devices` collection: registration and auth trust devices, auth reads them. */
  repository: DeviceRepository;
  /** Resolves once the unique (userId, deviceIdHash) index exists; retried after a failure. */
  indexesReady: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    devices: DevicesModule;
  }
}

/** Owns the `devices` collection; registered before auth and registration, which trust devices. */
async function devicesPlugin(app: FastifyInstance): Promise<void> {
  const repository = createDeviceRepository(app.mongo.db);
  let indexes: Promise<void> | undefined;
  const indexesReady = (): Promise<void> =>
    (indexes ??= repository.ensureIndexes().catch((err: unknown) => {
      indexes = undefined;
      throw err;
    }));
  app.addHook('onReady', async () => {
    indexesReady().catch((err: unknown) => app.log.warn({ err }, 'device indexes not created yet; retrying at the next trust'));
  });
  app.decorate('devices', { repository, indexesReady });
}

export default fp(devicesPlugin, { name: 'devices', fastify: '5.x', dependencies: ['mongo'] });
