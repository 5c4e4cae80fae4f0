/**
 * Matches a path against a pattern like `/c/:conversationId`: the named segments' (decoded) values,
 * or null. Trailing slashes do not matter; `*` matches anything.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  if (pattern === '*') return {};
  const want = segments(pattern);
  const got = segments(path);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const expected = want[i]!;
    const actual = got[i]!;
    if (expected.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(actual);
      } catch {
        return null;
      }
      params[expected.slice(1)] = value;
    } else if (expected !== actual) return null;
  }
  return params;
}

const segments = (path: string): string[] => path.split('/').filter(Boolean);

export interface RouteDef<T> {
  path: string;
  value: T;
}

/** The first route whose pattern matches, with its params. */
export function resolveRoute<T>(routes: readonly RouteDef<T>[], path: string): { value: T; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { value: route.value, params };
  }
  return null;
}

/** Whether a click on a link should stay in the page (a plain left click on a same-origin link). */
export function isPlainClick(event: Pick<MouseEvent, 'button' | 'metaKey' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'defaultPrevented'>): boolean {
  return !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
