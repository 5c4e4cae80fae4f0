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
  deviceName: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface SessionRepository {
  ensureIndexes(): Promise<void>;
  insert(session: SessionDocument): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<SessionDocument | null>;
  /** The active token of a family, if the family (the session) is still active. */
  findActiveInFamily(familyId: string, now: Date): Promise<SessionDocument | null>;
  markRotated(id: string): Promise<void>;
  revokeFamily(familyId: string): Promise<void>;
  /** Deletes tokens past their expiry (FerretDB has no TTL indexes); how many went. */
  deleteExpired(now: Date): Promise<number>;
  /** Families of the user that still have an active token. */
  activeFamiliesOf(userId: string): Promise<string[]>;
}

export function createSessionRepository(db: Db, collectionName = 'sessions'): SessionRepository {
  const sessions: Collection<SessionDocument> = db.collection<SessionDocument>(collectionName);
  return {
    async ensureIndexes() {
      await sessions.createIndex({ tokenHash: 1 }, { unique: true, name: 'sessions_token_hash_unique' });
      await sessions.createIndex({ familyId: 1, status: 1 }, { name: 'sessions_family' });
      await sessions.createIndex({ userId: 1, status: 1 }, { name: 'sessions_user' });
      await sessions.createIndex({ expiresAt: 1 }, { name: 'sessions_expiry' });
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
    async markRotated(id) {
      await sessions.updateOne({ _id: id, status: 'active' }, { $set: { status: 'rotated' } });
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
  };
}
