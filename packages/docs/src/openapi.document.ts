import type { FastifyInstance } from 'fastify';
import { createBackend, loadBackendConfig } from '@ashchat/backend';

/**
 * A configuration for an app that is built only to be described. Its URIs name a closed port on
 * the loopback interface: the clients the plugins create fail at once and quietly (the logger is
 * off) instead of waiting for infrastructure, and are closed with the app. Nothing here ends up in
 * the document, which depends on the routes and their schemas only.
 */
const OFFLINE_ENV: Readonly<Record<string, string>> = {
  MONGODB_URI: 'mongodb://127.0.0.1:1',
  REDIS_URI: 'redis://127.0.0.1:1',
  AMQP_URI: 'amqp://127.0.0.1:1',
  // Not asked at start-up (there is no server): the document does not depend on the flavour.
  MONGODB_FLAVOR: 'mongodb',
  // Required by the configuration; never used to key anything, since no request is served.
  VERIFICATION_CODE_SECRET: 'openapi-document-offline-not-a-secret-0000',
  JWT_SECRET: 'openapi-document-offline-not-a-jwt-secret-0000',
  LOG_LEVEL: 'silent',
};

/**
 * The real backend (app.ts: every plugin, every route, every schema) on the offline configuration,
 * ready, never listening. Without the reply consumer and the saga's background loops: they would
 * only wait for a broker and a database that are not there. Close it when done.
 */
export async function buildOfflineApp(): Promise<FastifyInstance> {
  const config = loadBackendConfig({ env: OFFLINE_ENV, envFile: false });
  const app = createBackend(config, { server: { logger: false }, registration: { consumeReplies: false, background: false } });
  try {
    await app.ready();
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}

/** The document as written to docs/openapi.json: 2-space JSON with a trailing newline. */
export function formatOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * The backend's OpenAPI document, rendered from the route registrations themselves (the same
 * document GET /docs/json serves). Needs no running infrastructure and leaves nothing open.
 */
export async function renderOpenApi(): Promise<string> {
  const app = await buildOfflineApp();
  try {
    return formatOpenApi(app.swagger());
  } finally {
    await app.close();
  }
}
