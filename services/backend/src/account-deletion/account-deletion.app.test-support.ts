/** Test-only helpers for the account-deletion integration tests (excluded from the build). */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { SagaEffectHandler } from '@ashchat/saga';
import { waitFor } from '@ashchat/testkit';
import { createBackend } from '../backend.js';
import { testConfig, type Teardown } from '../app.test-support.js';
import type { AccountDeletionTestOptions } from './account-deletion.plugin.js';

/** A ready backend with account-deletion test options; closed, its database dropped, at teardown. */
export async function startDeletionApp(t: Teardown, o: { env?: Record<string, string>; accountDeletion?: AccountDeletionTestOptions } = {}): Promise<FastifyInstance> {
  const config = await testConfig(o.env);
  const app = createBackend(config, { server: { logger: false }, ...(o.accountDeletion ? { accountDeletion: o.accountDeletion } : {}) });
  t.teardown(async () => {
    await app.mongo?.db.dropDatabase().catch(() => undefined);
    await app.close();
  });
  await app.ready();
  await app.accountDeletion.started;
  return app;
}

/** Holds every run of one effect until released: the saga stays in that step (a known state). */
export function holdEffect(name: string): { effects: NonNullable<AccountDeletionTestOptions['effects']>; reached: Promise<void>; release(): void } {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => (reach = r));
  const released = new Promise<void>((r) => (release = r));
  const effects = (real: Record<string, SagaEffectHandler>): Record<string, SagaEffectHandler> => ({
    ...real,
    [name]: async (payload, meta) => {
      reach();
      await released;
      return real[name]!(payload, meta);
    },
  });
  return { effects, reached, release };
}

/** `app.inject` with a bearer token. */
export const withToken =
  (app: FastifyInstance, token: string) =>
  (method: InjectOptions['method'], url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) });

/** Polls GET /v1/account-deletions/{id} until `completed` (bounded); returns the last body. */
export function waitForCompleted(app: FastifyInstance, id: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  return waitFor(
    async () => {
      const res = await app.inject({ method: 'GET', url: `/v1/account-deletions/${id}` });
      const body = res.json<Record<string, unknown>>();
      return res.statusCode === 200 && body.status === 'completed' ? body : undefined;
    },
    { timeoutMs, intervalMs: 50, message: `account deletion ${id} to complete` },
  );
}
