import { AppError } from '../errors/app-error.js';
import type { DeviceDocument, DeviceRepository } from './device.repository.js';

export interface DeviceSummary {
  deviceId: string;
  name: string | null;
  trustedAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

export interface DeviceServiceDeps {
  repository: Pick<DeviceRepository, 'listOf' | 'deleteOwned'>;
  /** Ends the user's sessions on the device (it was just untrusted). */
  endSessionsOn: (userId: string, deviceId: string) => Promise<void>;
}

export interface DeviceService {
  /** The user's trusted devices, most recently seen first; `current` marks `currentDeviceId`. */
  list(userId: string, currentDeviceId: string | null): Promise<DeviceSummary[]>;
  /** Untrusts one of the user's devices and ends its sessions; DEVICE_NOT_FOUND for any other id. */
  untrust(userId: string, deviceId: string): Promise<void>;
}

const toSummary = (d: DeviceDocument, currentDeviceId: string | null): DeviceSummary => ({
  deviceId: d._id,
  name: d.name,
  trustedAt: d.trustedAt,
  lastSeenAt: d.lastSeenAt,
  current: d._id === currentDeviceId,
});

export function createDeviceService(d: DeviceServiceDeps): DeviceService {
  return {
    async list(userId, currentDeviceId) {
      return (await d.repository.listOf(userId)).map((device) => toSummary(device, currentDeviceId));
    },
    async untrust(userId, deviceId) {
      // Untrusted first: a sign-in racing with this gets a challenge, not a fresh session.
      if (!(await d.repository.deleteOwned(userId, deviceId))) throw new AppError('DEVICE_NOT_FOUND');
      await d.endSessionsOn(userId, deviceId);
    },
  };
}
