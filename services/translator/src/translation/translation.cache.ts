import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Redis did not answer: like an unreachable engine, the request waits rather than failing. */
export class CacheUnavailableError extends Error {
  override readonly name = 'CacheUnavailableError';
}

export interface TranslationCache {
  get(text: string, from: string, to: string): Promise<string | undefined>;
  set(text: string, from: string, to: string, translated: string): Promise<void>;
}

export interface TranslationCacheOptions {
  /** QUEUE_NAMESPACE: environments sharing a Redis keep apart (`<ns>:translation:…`). */
  namespace: string;
  ttlSeconds: number;
}

/**
 * Translations by (sha256 of the text, source, target), so a redelivered request, an edit back to
 * an earlier text or the same text in another chat costs no engine call. The key holds a hash,
 * never the text.
 */
export function createTranslationCache(redis: Redis, options: TranslationCacheOptions): TranslationCache {
  const prefix = options.namespace === '' ? 'translation' : `${options.namespace}:translation`;
  const key = (text: string, from: string, to: string): string =>
    `${prefix}:${from}:${to}:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

  const guarded = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw new CacheUnavailableError(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return {
    get: (text, from, to) => guarded('reading the translation cache', async () => (await redis.get(key(text, from, to))) ?? undefined),
    set: (text, from, to, translated) =>
      guarded('writing the translation cache', async () => void (await redis.set(key(text, from, to), translated, 'EX', options.ttlSeconds))),
  };
}
