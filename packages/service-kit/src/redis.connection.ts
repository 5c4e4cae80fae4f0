import { Redis } from 'ioredis';
import type { Logger } from './service.logger.js';

/**
 * A command connection. Commands issued while Redis is away fail after a few retries instead of
 * queueing forever, so a request never hangs on a dead Redis. Subscriptions (keyspace
 * notifications) need their own connection (`duplicate()`): a subscribed connection cannot run commands.
 */
export function createRedisClient(uri: string, logger: Pick<Logger, 'warn'>, connectionName: string): Redis {
  const redis = new Redis(uri, { lazyConnect: false, maxRetriesPerRequest: 2, connectTimeout: 5_000, connectionName });
  let lastError: string | undefined;
  // Without a listener ioredis prints every failed reconnect to stderr; log each new cause once.
  redis.on('error', (err: Error) => {
    if (err.message !== lastError) logger.warn({ err }, 'Redis connection error');
    lastError = err.message;
  });
  redis.on('ready', () => {
    lastError = undefined;
  });
  return redis;
}

/**
 * QUIT lets pending replies arrive first; if Redis is unreachable QUIT would only wait, so the
 * client just disconnects. Resolves once the socket is closed (status 'end'), bounded.
 */
export async function closeRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'reconnecting' || redis.status === 'close') {
    // No socket is open, only a retry timer: disconnect() cancels it. ioredis emits no 'end' here,
    // so waiting for one would always run into the bound.
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<void>((resolve) => {
    redis.once('end', resolve);
    timer = setTimeout(resolve, timeoutMs);
  });
  if (redis.status === 'ready') redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
  await ended;
  clearTimeout(timer);
  // Still open after the bound (QUIT unanswered): cut the socket.
  // (status changed while awaiting; TypeScript still sees the earlier narrowing)
  if ((redis.status as string) !== 'end') redis.disconnect();
}
