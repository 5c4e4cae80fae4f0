import t from 'tap';
import { MongoClient } from 'mongodb';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { assertUsesIndex, isFerretDb, type QueryPath } from '../explain.test-support.js';
import { createUserRepository } from '../users/user.repository.js';
import { createSessionRepository } from './session.repository.js';

/*
 * Every query of the sessions and users repositories, explained on the test server, as
 * chat.indexes.test.ts does for the chat (which explains why FerretDB is asserted differently:
 * its plans are PostgreSQL sequential scans whatever the indexes, so what is asserted there is
 * whether the filter runs in SQL, and the index key patterns).
 */

const { mongodbUri } = await getInfra();
const client = await MongoClient.connect(mongodbUri);
const db = client.db(uniqueName('auth_indexes'));
t.teardown(async () => {
  await db.dropDatabase();
  await client.close();
});
await createSessionRepository(db).ensureIndexes('purge-timer');
await createUserRepository(db).ensureIndexes();

const ferret = await isFerretDb(db);
const now = new Date();
const user = '3f2b8c1e-7a4d-4e9b-9c61-0d5e2f7a8b90';

const paths: QueryPath[] = [
  { name: 'sessions: by refresh-token digest', command: { find: 'sessions', filter: { tokenHash: 'x' } }, ferretPushdown: true },
  {
    name: 'sessions: the active token of a family (every authenticated request that misses the cache)',
    command: { find: 'sessions', filter: { familyId: 'f', status: 'active', expiresAt: { $gt: now } }, limit: 1 },
    ferretPushdown: true,
  },
  { name: 'sessions: mark rotated', command: { update: 'sessions', updates: [{ q: { _id: 's', status: 'active' }, u: { $set: { status: 'rotated' } } }] }, ferretPushdown: false },
  {
    name: 'sessions: revoke a family',
    command: { update: 'sessions', updates: [{ q: { familyId: 'f', status: { $ne: 'revoked' } }, u: { $set: { status: 'revoked' } }, multi: true }] },
    ferretPushdown: false,
  },
  { name: "sessions: a user's active families", command: { find: 'sessions', filter: { userId: user, status: 'active' }, projection: { familyId: 1 } }, ferretPushdown: true },
  { name: 'sessions: expired tokens', command: { delete: 'sessions', deletes: [{ q: { expiresAt: { $lte: now } }, limit: 0 }] }, ferretPushdown: false },
  { name: 'users: by e-mail', command: { find: 'users', filter: { emailNormalized: 'ada@example.org' }, limit: 1 }, ferretPushdown: true },
  { name: 'users: by id', command: { find: 'users', filter: { _id: user }, limit: 1 }, ferretPushdown: true },
  { name: 'users: profile update', command: { update: 'users', updates: [{ q: { _id: user }, u: { $set: { nickname: 'Ada' } } }] }, ferretPushdown: false },
  {
    name: 'users: nickname prefix search, a later page',
    command: {
      find: 'users',
      filter: { $and: [{ nicknameNormalized: { $regex: '^ad' } }, { $or: [{ nicknameNormalized: { $gt: 'ada' } }, { nicknameNormalized: 'ada', _id: { $gt: user } }] }] },
      sort: { nicknameNormalized: 1, _id: 1 },
      limit: 21,
    },
    ferretPushdown: false,
  },
];


t.test('the indexes exist with their key patterns', async (t) => {
  const indexes = async (collection: string) => Object.fromEntries((await db.collection(collection).listIndexes().toArray()).map((i) => [i.name as string, i]));
  t.match(await indexes('sessions'), {
    sessions_token_hash_unique: { key: { tokenHash: 1 }, unique: true },
    sessions_family: { key: { familyId: 1, status: 1 } },
    sessions_user: { key: { userId: 1, status: 1 } },
    sessions_expiry: { key: { expiresAt: 1 } },
  });
  t.match(await indexes('users'), { users_email_unique: { key: { emailNormalized: 1 }, unique: true }, users_nickname: { key: { nicknameNormalized: 1, _id: 1 } } });
});

for (const path of paths) t.test(`explain: ${path.name}`, (t) => assertUsesIndex(t, db, ferret, path));
