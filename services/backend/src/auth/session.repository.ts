import type { Collection, Db } from 'mongodb';

/**
 * One document per refresh token. The tokens of one sign-in (one device) share a `familyId`,
 * which is also the session id the access tokens carry: the session is active while its family
 * has an `active` token.
 */
export interface SessionDocument {
  _id: string;
  familyId: string;
  userId: string;
  /** sha256 of the refresh token, base64url: a leaked database yields no usable token. */
  tokenHash: string;
  status: 'active' | 'rotated' | 'revoked';
  /** The trusted device's public id (devices collection); absent on tokens from before devices. */
  deviceId?: string | null;
  deviceName: string | null;
  /** When this token was issued (the session's last use). */
  createdAt: Date;
  /** When the family started (the sign-in), carried across rotations; absent on older tokens. */
  familyCreatedAt?: Date;
  expiresAt: Date;
  /** When the token stopped being active by a rotation (the start of its reuse grace). */
  rotatedAt?: Date;
  /** The token that replaced it; moved on when an interrupted rotation is repeated. */
  successorId?: string;
  /**
   * Replaced before it was ever presented, by a repeated rotation of its predecessor: the client
   * never got it (or should not have), so it gets no grace — presenting it is a reuse.
   */
  abandoned?: true;
}

/** How a token leaves `active` by rotation. */
export interface Rotation {
  at: Date;
  successorId: string;
  abandoned?: true;
}

/** How expired tokens go (database/database.capabilities.ts decides which). */
export type SessionExpiry = 'ttl-index' | 'purge-timer';

export interface SessionRepository {
  /**
   * The indexes sign-ins rely on; with `purge-timer` also the plain expiry index the purge deletes by
   * (with `ttl-index` that index is the TTL one: ensureTtlIndex).
   */
  ensureIndexes(expiry: SessionExpiry): Promise<void>;
  /** Makes `sessions_expiry` a TTL index (the server deletes a token once `expiresAt` passed). */
  ensureTtlIndex(): Promise<void>;
  insert(session: SessionDocument): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<SessionDocument | null>;
  findById(id: string): Promise<SessionDocument | null>;
  /** The active token of a family, if the family (the session) is still active. */
  findActiveInFamily(familyId: string, now: Date): Promise<SessionDocument | null>;
  /** Active → rotated; false when the token was no longer active (another writer got there first). */
  markRotated(id: string, rotation: Rotation): Promise<boolean>;
  /** Points a rotated token at its new successor (an interrupted rotation repeated). */
  setSuccessor(id: string, successorId: string): Promise<void>;
  revokeFamily(familyId: string): Promise<void>;
  /** Deletes tokens past their expiry (the purge timer, where there is no TTL index); how many went. */
  deleteExpired(now: Date): Promise<number>;
  /** Families of the user that still have an active token. */
  activeFamiliesOf(userId: string): Promise<string[]>;
  /** The active tokens of the user (one per active family), newest family first. */
  activeTokensOf(userId: string, now: Date): Promise<SessionDocument[]>;
  /** Families of the user on the device that still have an active token. */
  activeFamiliesOnDevice(userId: string, deviceId: string): Promise<string[]>;
  /** Deletes every token of the user (account deletion); how many went. */
  deleteAllOf(userId: string): Promise<number>;
}

const INDEX_OPTIONS_CONFLICT = 85;
const EXPIRY_INDEX = 'sessions_expiry';

export function createSessionRepository(db: Db, collectionName = 'sessions'): SessionRepository {
  const sessions: Collection<SessionDocument> = db.collection<SessionDocument>(collectionName);
  return {
    async ensureIndexes(expiry) {
      await sessions.createIndex({ tokenHash: 1 }, { unique: true, name: 'sessions_token_hash_unique' });
      await sessions.createIndex({ familyId: 1, status: 1 }, { name: 'sessions_family' });
      await sessions.createIndex({ userId: 1, status: 1 }, { name: 'sessions_user' });
      if (expiry === 'purge-timer') await sessions.createIndex({ expiresAt: 1 }, { name: EXPIRY_INDEX });
    },
    async ensureTtlIndex() {
      try {
        // Rotated tokens stay until then too: reuse detection needs them for their whole lifetime.
        await sessions.createIndex({ expiresAt: 1 }, { name: EXPIRY_INDEX, expireAfterSeconds: 0 });
      } catch (error) {
        // A database that ran with the purge timer has the plain index: MongoDB turns it into a TTL one.
        if ((error as { code?: number }).code !== INDEX_OPTIONS_CONFLICT) throw error;
        await db.command({ collMod: collectionName, index: { name: EXPIRY_INDEX, expireAfterSeconds: 0 } });
      }
    },
    async insert(session) {
      await sessions.insertOne(session);
    },
    findByTokenHash(tokenHash) {
      return sessions.findOne({ tokenHash });
    },
    findActiveInFamily(familyId, now) {
      return sessions.findOne({ familyId, status: 'active', expiresAt: { $gt: now } });
    },
    findById(id) {
      return sessions.findOne({ _id: id });
    },
    async markRotated(id, { at, successorId, abandoned }) {
      // The guard of a rotation on MongoDB (atomic: one of two concurrent refreshes matches).
      const set = { status: 'rotated' as const, rotatedAt: at, successorId, ...(abandoned ? { abandoned } : {}) };
      return (await sessions.updateOne({ _id: id, status: 'active' }, { $set: set })).modifiedCount === 1;
    },
    async setSuccessor(id, successorId) {
      await sessions.updateOne({ _id: id, status: 'rotated' }, { $set: { successorId } });
    },
    async revokeFamily(familyId) {
      await sessions.updateMany({ familyId, status: { $ne: 'revoked' } }, { $set: { status: 'revoked' } });
    },
    async deleteExpired(now) {
      // Rotated tokens stay until then too: reuse detection needs them for their whole lifetime.
      return (await sessions.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
    async activeFamiliesOf(userId) {
      const docs = await sessions.find({ userId, status: 'active' }, { projection: { familyId: 1 } }).toArray();
      return [...new Set(docs.map((d) => d.familyId))];
    },
    async activeTokensOf(userId, now) {
      const docs = await sessions.find({ userId, status: 'active', expiresAt: { $gt: now } }).toArray();
      const started = (d: SessionDocument): number => (d.familyCreatedAt ?? d.createdAt).getTime();
      return docs.sort((a, b) => started(b) - started(a) || a.familyId.localeCompare(b.familyId));
    },
    async activeFamiliesOnDevice(userId, deviceId) {
      const docs = await sessions.find({ userId, deviceId, status: 'active' }, { projection: { familyId: 1 } }).toArray();
      return [...new Set(docs.map((d) => d.familyId))];
    },
    async deleteAllOf(userId) {
      return (await sessions.deleteMany({ userId })).deletedCount;
    },
  };
}
