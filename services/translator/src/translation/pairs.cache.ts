import type { Pair, TranslationEngine } from '../engine/index.js';
import { planRoute, type Route } from './route.planner.js';

export interface PairsCacheOptions {
  /** Pairs older than this are read again (an engine gains pairs when a package is installed). */
  maxAgeMs?: number;
  /** A language pair without a route reads the pairs again, at most this often. */
  missRefreshMs?: number;
  clock?: () => number;
}

export interface PairsCache {
  /** The route between two languages, null when the engine has none. Throws EngineUnavailableError. */
  route(from: string, to: string): Promise<Route | null>;
}

/** The engine's pairs, kept in memory: reading them on every request would double the engine calls. */
export function createPairsCache(engine: TranslationEngine, options: PairsCacheOptions = {}): PairsCache {
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const missRefreshMs = options.missRefreshMs ?? 30_000;
  const clock = options.clock ?? Date.now;
  let pairs: Pair[] | undefined;
  let readAt = 0;
  let reading: Promise<Pair[]> | undefined;

  const read = (): Promise<Pair[]> => {
    reading ??= engine.pairs().then(
      (fresh) => {
        pairs = fresh;
        readAt = clock();
        reading = undefined;
        return fresh;
      },
      (err: unknown) => {
        reading = undefined;
        throw err;
      },
    );
    return reading;
  };

  return {
    async route(from, to) {
      const known = pairs === undefined || clock() - readAt > maxAgeMs ? await read() : pairs;
      const route = planRoute(known, from, to);
      if (route !== null || clock() - readAt < missRefreshMs) return route;
      return planRoute(await read(), from, to);
    },
  };
}
