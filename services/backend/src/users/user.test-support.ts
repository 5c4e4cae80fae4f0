import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { uniqueName } from '@ashchat/testkit';
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
  document: UserDocument;
}

export interface TestUserOverrides {
  email?: string;
  nickname?: string;
  preferredLanguage?: string;
  password?: string;
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
  return { id, email, nickname, preferredLanguage, password, document: result.user };
}

/** Signs the user in through POST /v1/sessions; fails the test's setup if that does not answer 201. */
export async function loginAs(app: FastifyInstance, user: Pick<TestUser, 'email' | 'password'>): Promise<TestSession> {
  const res = await app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: user.email, password: user.password } });
  if (res.statusCode !== 201) throw new Error(`loginAs: POST /v1/sessions answered ${res.statusCode}: ${res.body}`);
  const { accessToken, refreshToken } = res.json<{ accessToken: string; refreshToken: string }>();
  return { accessToken, refreshToken, headers: { authorization: `Bearer ${accessToken}` } };
}
