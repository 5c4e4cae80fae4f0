import t from 'tap';
import { MongoClient } from 'mongodb';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { createUserRepository, type NewUser } from './user.repository.js';

const user = (registrationId: string, email = 'Ada@Example.org'): NewUser => ({
  _id: registrationId,
  email,
  emailNormalized: email.toLowerCase(),
  nickname: 'Ada',
  preferredLanguage: 'en',
  passwordHash: '$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA',
  registrationId,
});

t.test('one user per normalised email; a retry by the same registration is idempotent', async (t) => {
  const { mongodbUri } = await getInfra();
  const client = await MongoClient.connect(mongodbUri);
  const db = client.db(uniqueName('users_test'));
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  const users = createUserRepository(db);
  await users.ensureIndexes();
  const now = new Date();

  t.equal((await users.insert(user('r1'), now)).outcome, 'created');
  t.equal((await users.insert(user('r1'), now)).outcome, 'already-created', 'retry of the same registration');
  t.equal((await users.insert(user('r2', 'ADA@example.org'), now)).outcome, 'email-taken', 'race lost');
  t.equal((await users.findByEmail(' ada@EXAMPLE.org '))?.registrationId, 'r1');
  t.equal(await users.existsByEmail('ada@example.org'), true);
  t.equal(await users.existsByEmail('bob@example.org'), false);
});

t.test('two registrations racing for one email end with exactly one user', async (t) => {
  const { mongodbUri } = await getInfra();
  const client = await MongoClient.connect(mongodbUri);
  const db = client.db(uniqueName('users_race'));
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  const users = createUserRepository(db);
  await users.ensureIndexes();
  const outcomes = await Promise.all(['a', 'b', 'c'].map((id) => users.insert(user(id), new Date())));
  t.same(outcomes.map((o) => o.outcome).sort(), ['created', 'email-taken', 'email-taken']);
  t.equal(await db.collection('users').countDocuments(), 1);
});

t.test('the nickname search: prefixes of the normalised nickname, literal, in order, after a position', async (t) => {
  const { mongodbUri } = await getInfra();
  const client = await MongoClient.connect(mongodbUri);
  const db = client.db(uniqueName('users_search'));
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  const users = createUserRepository(db);
  // A user written before nicknameNormalized existed: ensureIndexes gives it one.
  await db.collection('users').insertOne({ ...user('old', 'old@example.org'), nickname: 'Ｏld Timer', createdAt: new Date() } as never);
  await users.ensureIndexes();
  for (const [id, nickname] of [['b', 'Ola'], ['a', 'OLA'], ['c', 'o.la'], ['d', 'Bob']] as const) {
    await users.insert({ ...user(id, `${id}@example.org`), nickname }, new Date());
  }
  const ids = (docs: Array<{ _id: string }>) => docs.map((d) => d._id);
  t.same(ids(await users.searchByNickname('o', 10)), ['c', 'a', 'b', 'old'], 'by normalised nickname, then id');
  t.same(ids(await users.searchByNickname('OL', 10)), ['a', 'b', 'old'], 'case-insensitive; the full-width Ｏ folds to O');
  t.same(ids(await users.searchByNickname('o.', 10)), ['c'], 'a dot is a dot');
  t.same(ids(await users.searchByNickname('ola', 10, { nicknameNormalized: 'ola', id: 'a' })), ['b'], 'after a position');
  t.same(ids(await users.searchByNickname('o', 1)), ['c'], 'limited');
});
