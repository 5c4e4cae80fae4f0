import type { TranslationRequest, TranslationResult } from '@ashchat/contracts';
import { EngineRefusedError, EngineUnavailableError } from '../engine/index.js';
import type { EngineBatcher } from './engine.batcher.js';
import type { PairsCache } from './pairs.cache.js';
import { needsTranslation, routeHops } from './route.planner.js';
import { CacheUnavailableError, type TranslationCache } from './translation.cache.js';

export interface RequestTranslatorDeps {
  pairs: PairsCache;
  cache: TranslationCache;
  batcher: EngineBatcher;
}

/** The engine or Redis did not answer: nothing is wrong with the request, it should wait and try again. */
export const isTemporaryFailure = (err: unknown): boolean => err instanceof EngineUnavailableError || err instanceof CacheUnavailableError;

export type RequestTranslator = (request: Pick<TranslationRequest, 'source' | 'targets' | 'text'>) => Promise<TranslationResult[]>;

/**
 * One result per target: cached, or translated hop by hop along the route (each hop cached too,
 * so a retry after an outage only asks for what is missing). Throws only temporary failures.
 */
export function createRequestTranslator(deps: RequestTranslatorDeps): RequestTranslator {
  const { pairs, cache, batcher } = deps;

  const hop = async (text: string, from: string, to: string): Promise<string> => {
    const cached = await cache.get(text, from, to);
    if (cached !== undefined) return cached;
    const translated = await batcher.translate(text, from, to);
    await cache.set(text, from, to, translated);
    return translated;
  };

  async function translateInto(text: string, source: string, target: string): Promise<TranslationResult> {
    if (!needsTranslation(text) || source === target) return { target, status: 'translated', text, via: [] };
    const route = await pairs.route(source, target);
    if (route === null) return { target, status: 'untranslated', reason: 'no-path' };
    try {
      const cached = await cache.get(text, source, target);
      if (cached !== undefined) return { target, status: 'translated', text: cached, via: route.via };
      let current = text;
      for (const step of routeHops(source, target, route)) current = await hop(current, step.from, step.to);
      if (route.via.length > 0) await cache.set(text, source, target, current);
      return { target, status: 'translated', text: current, via: route.via };
    } catch (err) {
      if (err instanceof EngineRefusedError) return { target, status: 'untranslated', reason: err.reason };
      throw err;
    }
  }

  return async (request) => {
    const results = await Promise.allSettled(request.targets.map((target) => translateInto(request.text, request.source, target)));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return results.map((r) => (r as PromiseFulfilledResult<TranslationResult>).value);
  };
}
