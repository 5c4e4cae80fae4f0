/** Which requests the web client answers: pure rules, no I/O (web.plugin.ts applies them). */

/** Where the built client keeps its hashed files (Vite's `build.assetsDir`). */
export const WEB_ASSETS_PREFIX = '/assets/';

/** Paths that belong to the server: never answered with the client's page, whatever the request accepts. */
export const SERVER_PATHS = ['/v1', '/docs', '/assets', '/health', '/ready'] as const;

/** The path of a request URL, without its query. */
export const pathOf = (url: string): string => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};

export const isServerPath = (path: string): boolean => SERVER_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

/**
 * Whether an Accept header asks for HTML (a browser navigating), with a q-value above 0. `*\/*` alone
 * does not count: a script asking an unknown path gets the API's JSON 404, not a page.
 */
export function acceptsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type !== 'text/html') return false;
    const q = params.find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * A file directly in the build's top folder that a path may name (`/favicon.svg`, `/index.html`):
 * letters, digits, `_`, `-` and `.`, not starting with a dot. Anything else (a slash, `%`, `..`) is
 * never looked up on disk.
 */
export function topLevelFile(path: string): string | undefined {
  const match = /^\/([A-Za-z0-9_-][A-Za-z0-9_.-]*)$/.exec(path);
  return match?.[1];
}

export type WebAnswer =
  /** Not the client's: the request goes on to the API's 404. */
  | { kind: 'none' }
  /** A file of the build's top folder, if it exists (else the page rule applies). */
  | { kind: 'file'; name: string; orPage: boolean }
  /** The client's page (index.html), whose router reads the path. */
  | { kind: 'page' };

/**
 * What an unknown GET/HEAD path gets: `/` is always the page; other paths outside the server's get
 * the page when the request accepts HTML (deep links such as /c/123, /verify?registration=…) and a
 * file of the top folder when one is named.
 */
export function webAnswer(method: string, url: string, accept: string | undefined): WebAnswer {
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'none' };
  const path = pathOf(url);
  if (path === '/') return { kind: 'page' };
  if (isServerPath(path)) return { kind: 'none' };
  const html = acceptsHtml(accept);
  const name = topLevelFile(path);
  if (name !== undefined) return { kind: 'file', name, orPage: html };
  return html ? { kind: 'page' } : { kind: 'none' };
}
