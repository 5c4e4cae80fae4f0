import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import { getInfra, uniqueName } from '@ashchat/testkit';
import type { Teardown } from '../app.test-support.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { createUserRepository } from '../users/user.repository.js';
import { createWriteLock } from '../database/write.lock.js';
import { createSessionRepository, type SessionRepository } from './session.repository.js';
import { createSessionService } from './session.service.js';
import { createDeviceRepository } from '../devices/device.repository.js';
import { hashClientDeviceId } from '../devices/device-id.js';

/** Test-only: the session service on the real MongoDB and Redis, with Ada signed up and a clock the test moves. */
export const DAY_MS = 86_400_000;
export const DEVICE = 'laptop-device-id-0001';

export async function setup(t: Teardown, o: { writeLock?: 'redis' | 'none'; graceMs?: number; wrap?: (sessions: SessionRepository) => SessionRepository } = {}) {
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
  const devices = createDeviceRepository(db);
  await devices.ensureIndexes();
  const challenges: string[] = [];
  const service = createSessionService({
    sessions,
    users,
    devices,
    startChallenge: async ({ deviceIdHash }) => {
      challenges.push(deviceIdHash);
      return `challenge-${challenges.length}`;
    },
    hasher,
    withFamilyLock: createWriteLock(redis, { writeLock: o.writeLock ?? 'redis' }, { ttlMs: 5_000, waitMs: 5_000, keyPrefix: uniqueName('lock'), busy: 'SESSION_BUSY' }),
    signAccessToken: (claims) => JSON.stringify(claims),
    accessTokenTtlSeconds: 900,
    refreshTokenTtlMs: 30 * DAY_MS,
    // Without a grace unless a test asks: every other test here is about the strict rules.
    refreshReuseGraceMs: o.graceMs ?? 0,
    indexesReady: async () => undefined,
    onReuse: (s) => reused.push(s.familyId),
    now: () => now,
  });
  await users.insert(
    { _id: 'u1', email: 'ada@example.org', emailNormalized: 'ada@example.org', nickname: 'Ada', preferredLanguage: 'en', passwordHash: await hasher.hash('right password'), registrationId: 'r1' },
    now,
  );
  await devices.trust({ userId: 'u1', deviceIdHash: hashClientDeviceId(DEVICE), name: 'laptop' }, now);
  /** Signs Ada in from her trusted device; the tokens. */
  const signIn = async (extra: { deviceName?: string } = {}) => {
    const result = await service.login({ email: 'ada@example.org', password: 'right password', deviceId: DEVICE, ...extra });
    if (result.kind !== 'signed-in') throw new Error('a trusted device was challenged');
    return result.tokens;
  };
  return { service, signIn, challenges, users, devices, reused, db, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

/** The session (token family) id an access token names (the test signer writes JSON). */
export const sidOf = (accessToken: string): string => (JSON.parse(accessToken) as { sid: string }).sid;
