import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A command connection. Commands issued while Redis is away fail after a few retries instead of
 * queueing forever. A keyspace-notification subscriber needs its own connection (`duplicate()`).
 */
export function createRedisClient(uri: string, logger: Logger, connectionName = 'ashchat-verifier'): Redis {
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
    // No socket is open, only a retry timer: disconnect() cancels it. ioredis emits no 'end' here.
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
  if ((redis.status as string) !== 'end') redis.disconnect();
}
