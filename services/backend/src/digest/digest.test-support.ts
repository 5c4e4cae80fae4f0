/** Test-only helpers for the digest integration tests (excluded from the build). */
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Db } from 'mongodb';
import { waitFor } from '@ashchat/testkit';
import type { ChatTestUser } from '../chat/chat.test-support.js';
import { createTestUser, loginAs } from '../users/user.test-support.js';
import { digestIdOf } from './digest.machine.js';
import { DIGESTS_COLLECTION } from './digest.plugin.js';

/** Small timers: the delay elapses within a test; the period outlasts it (one mail per test). */
export const DIGEST_ENV = { DIGEST_DELAY_MS: '1000', DIGEST_PERIOD_MS: '3600000', SAGA_SWEEP_INTERVAL_MS: '300', SAGA_RELAY_INTERVAL_MS: '300' };

/** A signed-in user with a nickname the test chooses (mentions name it). */
export async function namedUser(app: FastifyInstance, nickname: string): Promise<ChatTestUser> {
  const user = await createTestUser(app, { nickname });
  const session = await loginAs(app, user);
  return {
    ...user,
    session,
    call: (method, url, payload) => app.inject({ method, url, headers: session.headers, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) }),
  };
}

export interface DigestDoc {
  _id: string;
  state: string;
  version: number;
  outbox: string[];
  snapshot: string;
}

/** The user's digest saga document once `ok` holds for it (bounded). */
export function waitForDigest(db: Db, userId: string, ok: (d: DigestDoc) => boolean, message: string, timeoutMs = 20_000): Promise<DigestDoc> {
  const digests = db.collection<DigestDoc>(DIGESTS_COLLECTION);
  return waitFor(
    async () => {
      const doc = await digests.findOne({ _id: digestIdOf(userId) });
      return doc && ok(doc) ? doc : undefined;
    },
    { timeoutMs, intervalMs: 50, message },
  );
}

/** The saga's context from its stored snapshot. */
export const contextOf = (d: DigestDoc): Record<string, unknown> => (JSON.parse(d.snapshot) as { context: Record<string, unknown> }).context;
