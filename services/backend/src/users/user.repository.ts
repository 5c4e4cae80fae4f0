import type { Collection, Db } from 'mongodb';
import { normalizeEmail } from './email.js';
import { escapeRegExp, normalizeNickname } from './nickname.js';

export interface UserDocument {
  _id: string;
  email: string;
  emailNormalized: string;
  nickname: string;
  /** normalizeNickname(nickname), for the prefix search; set on every write of the nickname. */
  nicknameNormalized?: string;
  preferredLanguage: string;
  /** Free text the user wrote about themselves; absent until they write one. */
  description?: string;
  passwordHash: string;
  /** The registration that created the user: makes creation idempotent on retry. */
  registrationId: string;
  createdAt: Date;
  /** The last password change (reset or change) and when it happened; absent until the first. */
  passwordChange?: { id: string; at: Date };
  /** Set when the account's deletion started: from then on it cannot sign in. */
  deletingSince?: Date;
  /** Missed-message mails (the digest); absent = true (accounts from before the setting). */
  digestEmails?: boolean;
  /** Machine translation of others' messages into preferredLanguage (translation/); absent = true. */
  autoTranslate?: boolean;
  /** The avatar's blob id (files/avatar.service.ts), which is also its version; absent = none. */
  avatar?: string;
}

export type NewUser = Omit<UserDocument, 'createdAt' | 'nicknameNormalized' | 'description' | 'passwordChange' | 'deletingSince' | 'digestEmails' | 'autoTranslate' | 'avatar'>;
export type ProfileChanges = Partial<Pick<UserDocument, 'nickname' | 'preferredLanguage' | 'description' | 'digestEmails' | 'autoTranslate'>>;

/** Where a nickname search page ended: the next page starts after it. */
export interface NicknamePosition {
  nicknameNormalized: string;
  id: string;
}
export type InsertUserResult = { outcome: 'created' | 'already-created'; user: UserDocument } | { outcome: 'email-taken' };

export interface UserRepository {
  ensureIndexes(): Promise<void>;
  /** Inserts once: a retry by the same registration is a success, another registration's email is a conflict. */
  insert(user: NewUser, now: Date): Promise<InsertUserResult>;
  findByEmail(email: string): Promise<UserDocument | null>;
  existsByEmail(emailNormalized: string): Promise<boolean>;
  findById(id: string): Promise<UserDocument | null>;
  /** The ids among `ids` that are not users (a conversation's members must exist). */
  missingIds(ids: readonly string[]): Promise<string[]>;
  /** Nicknames of the given users, by id (one query; ids that are not users are left out). */
  nicknamesOf(ids: readonly string[]): Promise<Map<string, string>>;
  /** Sets the given fields (and the normalised nickname with the nickname); null if no such user. */
  updateProfile(id: string, changes: ProfileChanges): Promise<UserDocument | null>;
  /**
   * Stores a new password hash, once per `changeId` (a reset's id, or a fresh id for a change): a
   * repeat of the same change after a crash finds it done. Returns when the hash was set, or null
   * if there is no such user.
   */
  setPasswordHash(id: string, passwordHash: string, changeId: string, now: Date): Promise<{ changedAt: Date } | null>;
  /**
   * Marks the account as being deleted (sign-in refuses it from then on), once: a repeat keeps the
   * first time. Returns that time, or null if there is no such user.
   */
  markDeleting(id: string, now: Date): Promise<Date | null>;
  /** Sets (a blob id) or clears (null) the avatar; the one replaced, or undefined if there is no such user. The caller holds the profile lock. */
  setAvatar(id: string, blobId: string | null): Promise<string | null | undefined>;
  /** Language and auto-translation setting of the given users, by id (one query; ids that are not users are left out). */
  translationProfilesOf(ids: readonly string[]): Promise<Map<string, { preferredLanguage: string; autoTranslate: boolean }>>;
  /** Avatar versions of the given users that have one, by id (one query). */
  avatarsOf(ids: readonly string[]): Promise<Map<string, string>>;
  /** Deletes the user document (the e-mail address is free again); false if it was already gone. */
  deleteById(id: string): Promise<boolean>;
  /** Users whose normalised nickname starts with `prefix` (normalised too), by nickname then id, after `after`. */
  searchByNickname(prefix: string, limit: number, after?: NicknamePosition): Promise<UserDocument[]>;
}

const DUPLICATE_KEY = 11000;

export function createUserRepository(db: Db, collectionName = 'users'): UserRepository {
  const users: Collection<UserDocument> = db.collection<UserDocument>(collectionName);
  return {
    async ensureIndexes() {
      await users.createIndex({ emailNormalized: 1 }, { unique: true, name: 'users_email_unique' });
      await users.createIndex({ nicknameNormalized: 1, _id: 1 }, { name: 'users_nickname' });
      // Users created before the field existed would be invisible to the search: give them theirs.
      for await (const u of users.find({ nicknameNormalized: { $exists: false } }, { projection: { nickname: 1 } })) {
        await users.updateOne({ _id: u._id, nicknameNormalized: { $exists: false } }, { $set: { nicknameNormalized: normalizeNickname(u.nickname) } });
      }
    },
    async insert(user, now) {
      const doc: UserDocument = { ...user, nicknameNormalized: normalizeNickname(user.nickname), createdAt: now };
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
      // A find of one _id on the unique index: countDocuments would be an aggregate pipeline.
      return (await users.findOne({ emailNormalized }, { projection: { _id: 1 } })) !== null;
    },
    findById(id) {
      return users.findOne({ _id: id });
    },
    async missingIds(ids) {
      if (ids.length === 0) return [];
      const found = new Set((await users.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray()).map((u) => u._id));
      return ids.filter((id) => !found.has(id));
    },
    async nicknamesOf(ids) {
      if (ids.length === 0) return new Map();
      const found = await users.find({ _id: { $in: [...ids] } }, { projection: { _id: 1, nickname: 1 } }).toArray();
      return new Map(found.map((u) => [u._id, u.nickname]));
    },
    async updateProfile(id, changes) {
      const set: Partial<UserDocument> = { ...changes };
      if (changes.nickname !== undefined) set.nicknameNormalized = normalizeNickname(changes.nickname);
      // One atomic single-document update on MongoDB (concurrent changes of other fields survive);
      // serialised by the caller's write lock where updates are not atomic (database.capabilities.ts).
      const { matchedCount } = await users.updateOne({ _id: id }, { $set: set });
      return matchedCount === 0 ? null : users.findOne({ _id: id });
    },
    async setPasswordHash(id, passwordHash, changeId, now) {
      const user = await users.findOne({ _id: id }, { projection: { passwordChange: 1 } });
      if (!user) return null;
      if (user.passwordChange?.id === changeId) return { changedAt: user.passwordChange.at };
      const { matchedCount } = await users.updateOne({ _id: id }, { $set: { passwordHash, passwordChange: { id: changeId, at: now } } });
      return matchedCount === 0 ? null : { changedAt: now };
    },
    async markDeleting(id, now) {
      await users.updateOne({ _id: id, deletingSince: { $exists: false } }, { $set: { deletingSince: now } });
      return (await users.findOne({ _id: id }, { projection: { deletingSince: 1 } }))?.deletingSince ?? null;
    },
    async setAvatar(id, blobId) {
      const user = await users.findOne({ _id: id }, { projection: { avatar: 1 } });
      if (!user) return undefined;
      await users.updateOne({ _id: id }, blobId === null ? { $unset: { avatar: '' } } : { $set: { avatar: blobId } });
      return user.avatar ?? null;
    },
    async translationProfilesOf(ids) {
      if (ids.length === 0) return new Map();
      const found = await users.find({ _id: { $in: [...ids] } }, { projection: { _id: 1, preferredLanguage: 1, autoTranslate: 1 } }).toArray();
      return new Map(found.map((u) => [u._id, { preferredLanguage: u.preferredLanguage, autoTranslate: u.autoTranslate !== false }]));
    },
    async avatarsOf(ids) {
      if (ids.length === 0) return new Map();
      const found = await users.find({ _id: { $in: [...ids] }, avatar: { $exists: true } }, { projection: { _id: 1, avatar: 1 } }).toArray();
      return new Map(found.flatMap((u) => (u.avatar ? [[u._id, u.avatar] as const] : [])));
    },
    async deleteById(id) {
      return (await users.deleteOne({ _id: id })).deletedCount === 1;
    },
    searchByNickname(prefix, limit, after) {
      // Anchored and escaped: a prefix match that can use the index, whatever the user typed.
      const match = { $regex: `^${escapeRegExp(normalizeNickname(prefix))}` };
      const filter = after
        ? {
            $and: [
              { nicknameNormalized: match },
              {
                $or: [
                  { nicknameNormalized: { $gt: after.nicknameNormalized } },
                  { nicknameNormalized: after.nicknameNormalized, _id: { $gt: after.id } },
                ],
              },
            ],
          }
        : { nicknameNormalized: match };
      return users.find(filter).sort({ nicknameNormalized: 1, _id: 1 }).limit(limit).toArray();
    },
  };
}
