import t from 'tap';
import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import { getInfra, uniqueName } from '@ashchat/testkit';
import type { Teardown } from '../app.test-support.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { createUserRepository } from '../users/user.repository.js';
import { createWriteLock } from '../database/write.lock.js';
import { createSessionRepository, type SessionRepository } from './session.repository.js';
import { createSessionService } from './session.service.js';

const DAY_MS = 86_400_000;

async function setup(t: Teardown, o: { writeLock?: 'redis' | 'none'; wrap?: (sessions: SessionRepository) => SessionRepository } = {}) {
  const { mongodbUri, redisUri } = await getInfra();
  const client = await MongoClient.connect(mongodbUri);
  const db = client.db(uniqueName('sessions_test'));
  const redis = new Redis(redisUri);
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
    await redis.quit();
  });
  const hasher = createPasswordHasher({ memoryCost: 1_024, timeCost: 1, parallelism: 1 });
  const users = createUserRepository(db);
  const repository = createSessionRepository(db);
  await repository.ensureIndexes('purge-timer');
  const sessions = o.wrap ? o.wrap(repository) : repository;
  let now = new Date('2026-01-01T00:00:00Z');
  const reused: string[] = [];
  const service = createSessionService({
    sessions,
    users,
    hasher,
    withFamilyLock: createWriteLock(redis, { writeLock: o.writeLock ?? 'redis' }, { ttlMs: 5_000, waitMs: 5_000, keyPrefix: uniqueName('lock'), busy: 'SESSION_BUSY' }),
    signAccessToken: (claims) => JSON.stringify(claims),
    accessTokenTtlSeconds: 900,
    refreshTokenTtlMs: 30 * DAY_MS,
    indexesReady: async () => undefined,
    onReuse: (s) => reused.push(s.familyId),
    now: () => now,
  });
  await users.insert(
    { _id: 'u1', email: 'ada@example.org', emailNormalized: 'ada@example.org', nickname: 'Ada', preferredLanguage: 'en', passwordHash: await hasher.hash('right password'), registrationId: 'r1' },
    now,
  );
  return { service, reused, db, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

t.test('a refresh token expires after its lifetime, and each refresh starts a new one', async (t) => {
  const { service, advance } = await setup(t);
  const first = await service.login({ email: 'ada@example.org', password: 'right password' });
  advance(29 * DAY_MS);
  const second = await service.refresh(first.refreshToken);
  advance(29 * DAY_MS);
  const sid = (JSON.parse(second.accessToken) as { sid: string }).sid;
  t.equal(await service.isActive('u1', sid), true, 'sliding: 58 days in, the second token is 29 days old');
  const third = await service.refresh(second.refreshToken);
  advance(30 * DAY_MS + 1);
  await t.rejects(service.refresh(third.refreshToken), { code: 'INVALID_REFRESH_TOKEN' }, 'unused for 30 days: expired');
  t.equal(await service.isActive('u1', sid), false, 'and the session with it');
});

t.test('isActive is false for another user’s session; revokeAllSessions ends every session', async (t) => {
  const { service, reused } = await setup(t);
  const a = await service.login({ email: 'ada@example.org', password: 'right password' });
  const b = await service.login({ email: 'ada@example.org', password: 'right password', deviceName: 'phone' });
  const sidA = (JSON.parse(a.accessToken) as { sid: string }).sid;
  const sidB = (JSON.parse(b.accessToken) as { sid: string }).sid;
  t.not(sidA, sidB, 'one session per sign-in');
  t.equal(await service.isActive('someone-else', sidA), false);
  await service.revokeAllSessions('u1');
  t.equal(await service.isActive('u1', sidA), false);
  t.equal(await service.isActive('u1', sidB), false);
  await t.rejects(service.refresh(b.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
  t.same(reused, [], 'a revoked token is refused without being taken for a reuse');
});

t.test('unknown e-mail and wrong password fail alike, after an argon2 verification', async (t) => {
  const { service } = await setup(t);
  await t.rejects(service.login({ email: 'nobody@example.org', password: 'right password' }), { code: 'INVALID_CREDENTIALS' });
  await t.rejects(service.login({ email: 'ada@example.org', password: 'wrong password' }), { code: 'INVALID_CREDENTIALS' });
});

t.test('purgeExpired deletes the tokens past their expiry (rotated ones included) and keeps the rest', async (t) => {
  const { service, db, advance } = await setup(t);
  const old = await service.login({ email: 'ada@example.org', password: 'right password' });
  await service.refresh(old.refreshToken);
  advance(20 * DAY_MS);
  const recent = await service.login({ email: 'ada@example.org', password: 'right password' });
  t.equal(await service.purgeExpired(), 0, 'nothing has expired yet');
  advance(10 * DAY_MS + 1);
  t.equal(await service.purgeExpired(), 2, 'the first sign-in: its rotated token and its active one');
  const left = await db.collection('sessions').find().toArray();
  t.equal(left.length, 1);
  t.equal(left[0]?.['familyId'], (JSON.parse(recent.accessToken) as { sid: string }).sid);
  await t.rejects(service.refresh(old.refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
});

t.test('without a lock (the MongoDB plan), a refresh that loses the race for its token ends the family as a reuse', async (t) => {
  // One writer at a time, interleaved by hand: refresh A has read the token as active and issued its
  // new token when refresh B of the same token runs from start to end; then A's conditional update
  // finds the token rotated. On MongoDB the conditional update is the only guard there is.
  let interleave: (() => Promise<unknown>) | undefined;
  let raced: Promise<unknown> | undefined;
  const { service, reused } = await setup(t, {
    writeLock: 'none',
    wrap: (sessions) => ({
      ...sessions,
      async insert(session) {
        await sessions.insert(session);
        const other = interleave;
        interleave = undefined;
        if (other) raced = other();
      },
      async markRotated(id) {
        // A waits for B to finish (B, called while A is inside, finds nothing to wait for).
        const other = raced;
        raced = undefined;
        await other;
        return sessions.markRotated(id);
      },
    }),
  });
  const first = await service.login({ email: 'ada@example.org', password: 'right password' });
  const sid = (JSON.parse(first.accessToken) as { sid: string }).sid;
  let b: unknown;
  interleave = () => service.refresh(first.refreshToken).then((tokens) => (b = tokens));
  await t.rejects(service.refresh(first.refreshToken), { code: 'INVALID_REFRESH_TOKEN' }, 'A lost the conditional update');
  t.match(b, { refreshToken: String }, 'B won it');
  t.same(reused, [sid], 'reported as a reuse');
  t.equal(await service.isActive('u1', sid), false, 'the family is revoked, the tokens A and B were issued with it');
  await t.rejects(service.refresh((b as { refreshToken: string }).refreshToken), { code: 'INVALID_REFRESH_TOKEN' });
});
