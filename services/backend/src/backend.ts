import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { BackendConfig } from './config.js';
import { buildApp, fastifyOptions, type AppOptions } from './app.js';

export interface BackendOptions extends Omit<AppOptions, 'config'> {
  /** Fastify options over fastifyOptions(config): tests turn the logger off, benches pass theirs. */
  server?: Partial<FastifyServerOptions>;
}

/**
 * The backend's composition root: a Fastify instance with fastifyOptions(config) hosting buildApp,
 * never listening. server.ts listens on it; the tests, the benches and the docs generator inject
 * into it or listen on a port of their own. Plugins load on `ready()`/`listen()` (or `await
 * app.after()`), where a failing one rejects; close the instance in every case.
 */
export function createBackend(config: BackendConfig, options: BackendOptions = {}): FastifyInstance {
  const { server, ...appOptions } = options;
  const app = Fastify(fastifyOptions(config, server));
  void app.register(buildApp, { ...appOptions, config });
  return app;
}
