import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';

/** A device an account trusts: signing in from it needs no mailed code. */
export interface DeviceDocument {
  /** The public device id (GET /v1/devices, the sessions' `deviceId`). */
  _id: string;
  userId: string;
  /** hashClientDeviceId(the client's own id): never kept in clear. */
  deviceIdHash: string;
  name: string | null;
  trustedAt: Date;
  lastSeenAt: Date;
}

export interface TrustDevice {
  userId: string;
  deviceIdHash: string;
  name: string | null;
}

export interface DeviceRepository {
  ensureIndexes(): Promise<void>;
  /**
   * Trusts the device once: a repeat (an effect run again, a second registration step) finds the
   * device trusted already and returns it (the unique (userId, deviceIdHash) index decides).
   */
  trust(device: TrustDevice, now: Date): Promise<DeviceDocument>;
  findTrusted(userId: string, deviceIdHash: string): Promise<DeviceDocument | null>;
  findOwned(userId: string, id: string): Promise<DeviceDocument | null>;
  /** Records a sign-in from the device (and the name it gave this time, if any). */
  touch(id: string, now: Date, name?: string): Promise<void>;
  /** The user's trusted devices, most recently seen first. */
  listOf(userId: string): Promise<DeviceDocument[]>;
  /** Untrusts one of the user's devices; false if the user has no such device. */
  deleteOwned(userId: string, id: string): Promise<boolean>;
  /** Untrusts every device of the user (account deletion); how many went. */
  deleteAllOf(userId: string): Promise<number>;
}

const DUPLICATE_KEY = 11000;

export function createDeviceRepository(db: Db, collectionName = 'devices'): DeviceRepository {
  const devices: Collection<DeviceDocument> = db.collection<DeviceDocument>(collectionName);
  const findTrusted = (userId: string, deviceIdHash: string): Promise<DeviceDocument | null> => devices.findOne({ userId, deviceIdHash });
  return {
    async ensureIndexes() {
      await devices.createIndex({ userId: 1, deviceIdHash: 1 }, { unique: true, name: 'devices_user_hash_unique' });
    },
    async trust(device, now) {
      const existing = await findTrusted(device.userId, device.deviceIdHash);
      if (existing) return existing;
      const doc: DeviceDocument = { _id: randomUUID(), ...device, trustedAt: now, lastSeenAt: now };
      try {
        await devices.insertOne(doc);
        return doc;
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        // A concurrent trust of the same device won: theirs is the device.
        const winner = await findTrusted(device.userId, device.deviceIdHash);
        if (!winner) throw error;
        return winner;
      }
    },
    findTrusted,
    findOwned(userId, id) {
      return devices.findOne({ _id: id, userId });
    },
    async touch(id, now, name) {
      await devices.updateOne({ _id: id }, { $set: { lastSeenAt: now, ...(name !== undefined ? { name } : {}) } });
    },
    listOf(userId) {
      return devices.find({ userId }).sort({ lastSeenAt: -1, _id: 1 }).toArray();
    },
    async deleteOwned(userId, id) {
      return (await devices.deleteOne({ _id: id, userId })).deletedCount === 1;
    },
    async deleteAllOf(userId) {
      return (await devices.deleteMany({ userId })).deletedCount;
    },
  };
}
