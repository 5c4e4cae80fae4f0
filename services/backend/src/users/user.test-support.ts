import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { uniqueName } from '@ashchat/testkit';
import { hashClientDeviceId } from '../devices/device-id.js';
import { createPasswordHasher } from '../security/password.hasher.js';
import { normalizeEmail } from './email.js';
import type { UserDocument } from './user.repository.js';

/** Test-only helpers (excluded from the build): users without the registration saga, and their sign-in. */

export interface TestUser {
  id: string;
  email: string;
  nickname: string;
  preferredLanguage: string;
  /** The plain password (the document keeps only its argon2id hash). */
  password: string;
  /** The client device id the user's account trusts (signing in from it needs no mailed code). */
  deviceId: string;
  document: UserDocument;
}

/** The device every test user trusts unless told otherwise (a client's own id: 16+ of [A-Za-z0-9_-]). */
export const TEST_DEVICE_ID = 'test-device-0000000000000001';

export interface TestUserOverrides {
  email?: string;
  nickname?: string;
  preferredLanguage?: string;
  password?: string;
  /** The trusted client device id (TEST_DEVICE_ID by default); null: the account trusts no device. */
  deviceId?: string | null;
}

export interface TestSession {
  accessToken: string;
  refreshToken: string;
  /** Spread into `app.inject({ headers })`. */
  headers: { authorization: string };
}

// Cheapest argon2id parameters: tests need a real hash, not a slow one.
const testHasher = createPasswordHasher({ memoryCost: 1_024, timeCost: 1, parallelism: 1 });

/** Inserts a user with a real argon2id hash through the users repository (unique e-mail and nickname by default). */
export async function createTestUser(app: FastifyInstance, overrides: TestUserOverrides = {}): Promise<TestUser> {
  const suffix = uniqueName('').slice(0, 10);
  const email = overrides.email ?? `user-${suffix}@example.org`;
  const nickname = overrides.nickname ?? `user ${suffix}`;
  const preferredLanguage = overrides.preferredLanguage ?? 'en';
  const password = overrides.password ?? `password-${suffix}`;
  const id = randomUUID();
  const result = await app.users.repository.insert(
    { _id: id, email, emailNormalized: normalizeEmail(email), nickname, preferredLanguage, passwordHash: await testHasher.hash(password), registrationId: randomUUID() },
    new Date(),
  );
  if (result.outcome === 'email-taken') throw new Error(`createTestUser: ${email} is taken`);
  const deviceId = overrides.deviceId === undefined ? TEST_DEVICE_ID : overrides.deviceId;
  if (deviceId !== null) await trustTestDevice(app, id, deviceId);
  return { id, email, nickname, preferredLanguage, password, deviceId: deviceId ?? TEST_DEVICE_ID, document: result.user };
}

/** Trusts the client device for the user as a registration or a device challenge would. */
export async function trustTestDevice(app: FastifyInstance, userId: string, clientDeviceId: string, name: string | null = 'test device'): Promise<void> {
  await app.devices.indexesReady();
  await app.devices.repository.trust({ userId, deviceIdHash: hashClientDeviceId(clientDeviceId), name }, new Date());
}

/**
 * Signs the user in through POST /v1/sessions from their trusted device (TEST_DEVICE_ID unless the
 * user says otherwise); fails the test's setup if that does not answer 201.
 */
export async function loginAs(app: FastifyInstance, user: Pick<TestUser, 'email' | 'password'> & { deviceId?: string }): Promise<TestSession> {
  const payload = { email: user.email, password: user.password, deviceId: user.deviceId ?? TEST_DEVICE_ID };
  const res = await app.inject({ method: 'POST', url: '/v1/sessions', payload });
  if (res.statusCode !== 201) throw new Error(`loginAs: POST /v1/sessions answered ${res.statusCode}: ${res.body}`);
  const { accessToken, refreshToken } = res.json<{ accessToken: string; refreshToken: string }>();
  return { accessToken, refreshToken, headers: { authorization: `Bearer ${accessToken}` } };
}
