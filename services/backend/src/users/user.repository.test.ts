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
