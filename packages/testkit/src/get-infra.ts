import { resolveInfra, stderrLogger } from './infra.resolver.js';
import type { Infra, ResolvedInfra } from './infra.types.js';

let cached: Promise<Infra> | undefined;

function fromEnv(): Infra | undefined {
  const e = process.env;
  if (!e.AMQP_URI || !e.REDIS_URI || !e.MONGODB_URI || !e.SMTP_URI || !e.MAIL_API_URL || !e.TRANSLATION_URL) return undefined;
  return {
    amqpUri: e.AMQP_URI,
    redisUri: e.REDIS_URI,
    mongodbUri: e.MONGODB_URI,
    smtpUri: e.SMTP_URI,
    mailApiUrl: e.MAIL_API_URL,
    translationUrl: e.TRANSLATION_URL,
  };
}

/** Stops what we started when the test process ends, however it ends (no awaiting possible there). */
export function tearDownOnExit(resolved: ResolvedInfra): void {
  resolved.unref();
  process.once('exit', () => resolved.killSync());
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = () => {
      resolved.killSync();
      process.removeListener(sig, onSignal);
      // Re-raise so the default action (or other handlers) still ends the process.
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

async function load(): Promise<Infra> {
  const explicit = fromEnv();
  if (explicit) return explicit;
  // Parallel test processes each resolve; anything missing is started on free ports with
  // throw-away data dirs so they never collide, and it dies with this process.
  const resolved = await resolveInfra({ isolated: true, logger: stderrLogger('[testkit]') });
  tearDownOnExit(resolved);
  // Child processes a test spawns (services under test) inherit the same infrastructure.
  for (const [k, v] of Object.entries(resolved.env)) process.env[k] ??= v;
  return resolved.infra;
}

/**
 * Infrastructure URLs for tests: env vars when all are set (e.g. under `ashchat-infra exec`),
 * otherwise resolved once per process, starting whatever is missing.
 */
export function getInfra(): Promise<Infra> {
  cached ??= load().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}
