import type { Collection, Db } from 'mongodb';
import { normalizeEmail } from './email.js';

export interface UserDocument {
  _id: string;
  email: string;
  emailNormalized: string;
  nickname: string;
  preferredLanguage: string;
  passwordHash: string;
  /** The registration that created the user: makes creation idempotent on retry. */
  registrationId: string;
  createdAt: Date;
}

export type NewUser = Omit<UserDocument, 'createdAt'>;
export type InsertUserResult = { outcome: 'created' | 'already-created'; user: UserDocument } | { outcome: 'email-taken' };

export interface UserRepository {
  ensureIndexes(): Promise<void>;
  /** Inserts once: a retry by the same registration is a success, another registration's email is a conflict. */
  insert(user: NewUser, now: Date): Promise<InsertUserResult>;
  findByEmail(email: string): Promise<UserDocument | null>;
  existsByEmail(emailNormalized: string): Promise<boolean>;
}

const DUPLICATE_KEY = 11000;

export function createUserRepository(db: Db, collectionName = 'users'): UserRepository {
  const users: Collection<UserDocument> = db.collection<UserDocument>(collectionName);
  return {
    async ensureIndexes() {
      await users.createIndex({ emailNormalized: 1 }, { unique: true, name: 'users_email_unique' });
    },
    async insert(user, now) {
      const doc: UserDocument = { ...user, createdAt: now };
      try {
        await users.insertOne(doc);
        return { outcome: 'created', user: doc };
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        const existing = await users.findOne({ emailNormalized: user.emailNormalized });
        if (existing && existing.registrationId === user.registrationId) {
          return { outcome: 'already-created', user: existing };
        }
        if (!existing) {
          // The duplicate was on _id: the same registration already inserted under another email form.
          const byId = await users.findOne({ _id: user._id });
          if (byId?.registrationId === user.registrationId) return { outcome: 'already-created', user: byId };
        }
        return { outcome: 'email-taken' };
      }
    },
    findByEmail(email) {
      return users.findOne({ emailNormalized: normalizeEmail(email) });
    },
    async existsByEmail(emailNormalized) {
      return (await users.countDocuments({ emailNormalized }, { limit: 1 })) > 0;
    },
  };
}
