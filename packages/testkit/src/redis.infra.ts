import { join } from 'node:path';
import { Redis } from 'ioredis';
import { launchServer, processService, startTarget } from './binary.launcher.js';
import type { InfraLogger, ResolvedService } from './infra.types.js';
import { findExecutable } from './process.util.js';
import { binaryChoice, type ServiceContext } from './service.context.js';
import { runSteps, type ServiceSteps } from './service.steps.js';

function client(uri: string, timeoutMs: number): Redis {
  const redis = new Redis(uri, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Without a listener ioredis prints "Unhandled error event" for every refused probe.
  redis.on('error', () => undefined);
  return redis;
}

/** Redis handshake: PING must answer PONG. */
export async function pingRedis(uri: string, timeoutMs = 1_500): Promise<boolean> {
  const redis = client(uri, timeoutMs);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Saga timeouts come from expiry events, which Redis does not publish by default. Merge the
 * needed flags (E = keyevent channel, x = expired) into whatever is configured already.
 */
export async function ensureKeyspaceNotifications(uri: string, logger: InfraLogger): Promise<void> {
  const redis = client(uri, 3_000);
  try {
    await redis.connect();
    const reply = (await redis.config('GET', 'notify-keyspace-events')) as string[];
    const current = reply[1] ?? '';
    const has = (c: string) => current.includes(c) || (c === 'x' && current.includes('A'));
    const missing = ['E', 'x'].filter((c) => !has(c)).join('');
    if (missing) await redis.config('SET', 'notify-keyspace-events', current + missing);
  } catch (err) {
    logger.warn(
      `redis: could not enable keyspace notifications (${(err as Error).message}). ` +
        `Set "notify-keyspace-events Ex" (or a superset) in this Redis' configuration, ` +
        `otherwise saga timeouts only fire through the reconciliation sweep.`,
    );
  } finally {
    redis.disconnect();
  }
}

async function startRedisServer(ctx: ServiceContext, notes: string[]): Promise<ResolvedService | undefined> {
  const choice = binaryChoice(ctx.binaries.redisServer, ctx.env, 'ASHCHAT_REDIS_SERVER_BIN');
  const bin = choice === false ? undefined : choice || findExecutable('redis-server', ['/usr/local/bin', '/opt/homebrew/bin', '/usr/sbin']);
  if (!bin) {
    notes.push(choice === false ? 'redis-server disabled by option' : 'no redis-server binary on PATH');
    return undefined;
  }
  const target = await startTarget(ctx, 'redis');
  const uri = `redis://127.0.0.1:${target.port}`;
  const logFile = join(target.dataDir, 'redis.log');
  ctx.logger.info(`redis: starting ${bin} on 127.0.0.1:${target.port} (data ${target.dataDir})`);
  const args = [
    '--port', String(target.port),
    '--bind', '127.0.0.1',
    '--dir', target.dataDir,
    '--daemonize', 'no',
    '--logfile', '',
    '--notify-keyspace-events', 'Ex',
    // Throw-away instances never write snapshots; the dev instance keeps Redis' default persistence.
    ...(target.ephemeral ? ['--save', '', '--appendonly', 'no'] : []),
  ];
  const proc = await launchServer({ ctx, name: 'redis-server', command: bin, args, logFile, ready: () => pingRedis(uri, 500) });
  return processService({
    service: 'redis',
    uri,
    detail: `started redis-server pid ${proc.pid}, data ${target.dataDir}`,
    proc,
    target,
  });
}

export async function resolveRedis(ctx: ServiceContext): Promise<ResolvedService | undefined> {
  const steps: ServiceSteps = {
    service: 'redis',
    envName: 'REDIS_URI',
    localUri: (port) => `redis://127.0.0.1:${port}`,
    probe: (uri) => pingRedis(uri),
    startBinary: (notes) => startRedisServer(ctx, notes),
    container: {
      image: 'redis:7',
      ports: [6379],
      command: ['redis-server', '--notify-keyspace-events', 'Ex'],
      uri: (host, port) => `redis://${host}:${port(6379)}`,
    },
    installHelp: 'install Redis (apt install redis-server / brew install redis), start Docker, or set REDIS_URI.',
  };
  const resolved = await runSteps(ctx, steps);
  if (resolved && ctx.start) await ensureKeyspaceNotifications(resolved.source.uri, ctx.logger);
  return resolved;
}
