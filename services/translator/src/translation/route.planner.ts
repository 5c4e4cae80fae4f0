import type { Pair } from '../engine/index.js';

/** How to get from one language to another: the languages passed through, in order (empty: a direct pair). */
export interface Route {
  via: string[];
}

// Pivots tried first: the ones with the most pairs in practice, so the better-trained ones.
const PREFERRED_PIVOTS = ['en', 'es', 'fr'];

/**
 * The route from `from` to `to` over the engine's pairs: the direct pair, else one pivot
 * (en→es→fr), else null. Two pivots would triple the loss of meaning; none is better than that.
 */
export function planRoute(pairs: readonly Pair[], from: string, to: string): Route | null {
  if (from === to) return { via: [] };
  const has = new Set(pairs.map((p) => `${p.from}|${p.to}`));
  if (has.has(`${from}|${to}`)) return { via: [] };
  const pivots = [...new Set(pairs.filter((p) => p.from === from && has.has(`${p.to}|${to}`)).map((p) => p.to))];
  if (pivots.length === 0) return null;
  pivots.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return { via: [pivots[0] as string] };
}

function rank(language: string): number {
  const index = PREFERRED_PIVOTS.indexOf(language);
  return index === -1 ? PREFERRED_PIVOTS.length : index;
}

/** The engine calls of a route: `en→fr via es` is en→es then es→fr. */
export function routeHops(from: string, to: string, route: Route): Pair[] {
  const stops = [from, ...route.via, to];
  return stops.slice(1).map((stop, i) => ({ from: stops[i] as string, to: stop }));
}

/** Text with no letter at all (empty, emoji, digits, punctuation) reads the same in every language. */
export function needsTranslation(text: string): boolean {
  return /\p{L}/u.test(text);
}
