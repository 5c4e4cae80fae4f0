import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createPasswordHasher, type PasswordHasherOptions } from '@ashchat/backend';
import { runLoad, type LoadOptions, type LoadResult } from './load.runner.js';

/**
 * Baseline (a): bare argon2id hashes per second with the given parameters at the given
 * concurrency, through the same hasher the registration route uses. @node-rs/argon2 hashes on
 * libuv's thread pool (UV_THREADPOOL_SIZE, default 4), so the event loop only waits.
 */
export async function measureHashRate(params: PasswordHasherOptions, load: LoadOptions): Promise<LoadResult> {
  const hasher = createPasswordHasher(params);
  return runLoad(async () => {
    const t0 = performance.now();
    await hasher.hash(randomBytes(12).toString('base64url'));
    return { hash: performance.now() - t0 };
  }, load);
}
