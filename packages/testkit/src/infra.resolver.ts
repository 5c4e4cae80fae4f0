import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APERTIUM_MODES } from './apertium.installer.js';
import {
  DEFAULT_PORTS, SERVICE_NAMES, type Infra, type InfraLogger, type ResolvedInfra, type ResolvedService,
  type ResolveOptions, type ServiceName,
} from './infra.types.js';
import { resolveMongodb } from './mongodb.infra.js';
import { resolveRabbitmq } from './rabbitmq.infra.js';
import { resolveRedis } from './redis.infra.js';
import { defaultCacheDir, type ServiceContext } from './service.context.js';
import { resolveSmtp } from './smtp.infra.js';
import { resolveTranslation } from './translation.infra.js';

/** Nearest ancestor holding pnpm-workspace.yaml (from cwd, then from this package), else cwd. */
export function findRepoRoot(from: string = process.cwd()): string {
  for (const start of [from, dirname(fileURLToPath(import.meta.url))]) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}

export function stderrLogger(prefix = '[ashchat-infra]'): InfraLogger {
  return {
    info: (m) => process.stderr.write(`${prefix} ${m}\n`),
    warn: (m) => process.stderr.write(`${prefix} WARNING: ${m}\n`),
  };
}

const RESOLVERS: Record<ServiceName, (ctx: ServiceContext) => Promise<ResolvedService | undefined>> = {
  mongodb: resolveMongodb,
  rabbitmq: resolveRabbitmq,
  redis: resolveRedis,
  smtp: resolveSmtp,
  translation: resolveTranslation,
};

const URI_ENV: Record<ServiceName, string> = {
  mongodb: 'MONGODB_URI',
  rabbitmq: 'AMQP_URI',
  redis: 'REDIS_URI',
  smtp: 'SMTP_URI',
  translation: 'TRANSLATION_URL',
};

async function stopAll(started: ResolvedService[], logger: InfraLogger): Promise<void> {
  const failures: Error[] = [];
  // Reverse order: later services may depend on earlier ones.
  for (const s of [...started].reverse()) {
    try {
      await s.stop?.();
    } catch (err) {
      logger.warn(`${s.source.service}: stop failed: ${(err as Error).message}`);
      failures.push(err as Error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'some infrastructure did not stop cleanly');
}

/**
 * Finds or starts MongoDB, RabbitMQ, Redis, SMTP and the translation engine (Apertium), each in the order: explicit env URL →
 * server on the default local port → local binary on `.infra/<service>/` → Docker → clear error.
 * Whatever this call started is stopped by the returned `stop()` (or stopped here if a later
 * service fails or `signal` aborts).
 */
export async function resolveInfra(opts: ResolveOptions = {}): Promise<ResolvedInfra> {
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? stderrLogger();
  const ports = { ...DEFAULT_PORTS, ...opts.ports };
  const services = opts.services ?? SERVICE_NAMES;
  const base = {
    env,
    repoRoot: opts.repoRoot ?? findRepoRoot(),
    start: opts.start ?? true,
    isolated: opts.isolated ?? false,
    envProbeTimeoutMs: opts.envProbeTimeoutMs ?? 10_000,
    docker: opts.docker ?? true,
    embeddedSmtp: opts.embeddedSmtp ?? true,
    binaries: opts.binaries ?? {},
    installApertium: opts.installApertium ?? true,
    apertiumModes: opts.apertiumModes ?? APERTIUM_MODES,
    cacheDir: opts.cacheDir ?? defaultCacheDir(env),
    logger,
    signal: opts.signal,
  };
  const results: ResolvedService[] = [];
  try {
    for (const service of SERVICE_NAMES.filter((s) => services.includes(s))) {
      const r = await RESOLVERS[service]({ ...base, port: ports[service], mailApiPort: ports.mailApi });
      if (r) results.push(r);
    }
  } catch (err) {
    await stopAll(results, logger).catch(() => undefined);
    throw err;
  }
  const exported: Record<string, string> = {};
  for (const r of results) {
    exported[URI_ENV[r.source.service]] = r.source.uri;
    Object.assign(exported, r.extraEnv);
  }
  const infra: Infra = {
    mongodbUri: exported.MONGODB_URI ?? '',
    amqpUri: exported.AMQP_URI ?? '',
    redisUri: exported.REDIS_URI ?? '',
    smtpUri: exported.SMTP_URI ?? '',
    mailApiUrl: exported.MAIL_API_URL ?? '',
    translationUrl: exported.TRANSLATION_URL ?? '',
  };
  let stopping: Promise<void> | undefined;
  return {
    infra,
    sources: results.map((r) => r.source),
    env: exported,
    pids: results.flatMap((r) => (r.pid !== undefined && r.pid > 0 ? [r.pid] : [])),
    stop: () => (stopping ??= stopAll(results, logger)),
    killSync: () => results.forEach((r) => r.killSync?.()),
    unref: () => results.forEach((r) => r.unref?.()),
  };
}
