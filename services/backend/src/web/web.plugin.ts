import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WEB_DIST_DIR } from '@ashchat/web';
import { pageCsp, type CspDirectives } from '../plugins/security-headers.plugin.js';
import { WEB_ASSETS_PREFIX, webAnswer, type WebAnswer } from './web.routing.js';

/**
 * What the client loads: its scripts, styles, fonts and manifest from this origin; images from here
 * or made in the page (data:, blob:); the API and the WebSocket from this origin (`'self'` covers
 * same-origin ws:/wss: in current browsers). No inline script or style.
 */
export const WEB_CLIENT_CSP: CspDirectives = pageCsp({
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'manifest-src': ["'self'"],
  'form-action': ["'self'"],
});

/** The header value, as helmet writes it. */
export const cspHeader = (directives: CspDirectives): string =>
  Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join(';');

/** Hashed file names change with their content: a browser may keep them for a year without asking. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** The page names the current hashes: always revalidated (ETag), so a new build is seen at once. */
export const PAGE_CACHE = 'no-cache';

export const BUILD_COMMAND = 'pnpm --filter @ashchat/web build';

const UNBUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>AshChat: web client not built</title></head>
<body>
<h1>The web client is not built yet</h1>
<p>Build it with <code>${BUILD_COMMAND}</code> (or run <code>pnpm dev</code>, which rebuilds it on change), then reload.</p>
<p>The API is up: <a href="/docs">/docs</a>.</p>
</body>
</html>
`;

const isFile = (path: string): Promise<boolean> => stat(path).then(
  (s) => s.isFile(),
  () => false,
);

/**
 * The built web client (packages/web/dist, or WEB_CLIENT_DIR) at `/`, same origin as the API:
 * hashed files under /assets/ cached for good, the page (index.html) for `/` and for every deep
 * link a browser opens outside the server's paths (web.routing.ts); the client's router shows its
 * own not-found. Requests that do not accept HTML keep the API's JSON 404.
 *
 * The page is answered from an onRequest hook of requests no route matched, not from a `/*` route:
 * a catch-all route would also catch what the router refuses after backtracking (a path parameter
 * over its length is 414 URI_TOO_LONG) and turn it into a page or a 404.
 * Registered after the API routes. Without a build the backend still starts: the page is a 503
 * saying how to build it, checked per request, so `pnpm dev`'s first build is picked up without a restart.
 */
async function webClient(app: FastifyInstance): Promise<void> {
  const root = resolve(app.config.WEB_CLIENT_DIR ?? WEB_DIST_DIR);
  const index = join(root, 'index.html');
  if (!(await isFile(index))) {
    app.log.warn({ root }, `web client not built: / answers 503 until it is (${BUILD_COMMAND})`);
  }

  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: WEB_ASSETS_PREFIX,
    // `public, max-age=31536000, immutable` (send takes milliseconds).
    maxAge: 31_536_000_000,
    immutable: true,
    index: false,
    // The build writes .br and .gz copies of its scripts and styles (packages/web/scripts/precompress.js).
    preCompressed: true,
    dotfiles: 'ignore',
    // The folder may appear later (first build); the warning above says so once.
    suppressWarning: true,
  });

  const sendClientFile = (reply: FastifyReply, name: string): void => {
    void reply.header('cache-control', PAGE_CACHE).header('content-security-policy', cspHeader(WEB_CLIENT_CSP));
    void reply.sendFile(name, root, { cacheControl: false });
  };

  /** Answers the request (true) or leaves it to the API's 404 (false). */
  const answer = async (web: Exclude<WebAnswer, { kind: 'none' }>, reply: FastifyReply): Promise<boolean> => {
    if (web.kind === 'file') {
      if (await isFile(join(root, web.name))) {
        sendClientFile(reply, web.name);
        return true;
      }
      if (!web.orPage) return false;
    }
    if (await isFile(index)) {
      sendClientFile(reply, 'index.html');
      return true;
    }
    void reply
      .code(503)
      .header('cache-control', 'no-store')
      .header('content-security-policy', cspHeader(WEB_CLIENT_CSP))
      .type('text/html; charset=utf-8')
      .send(UNBUILT_PAGE);
    return true;
  };

  // A callback hook: when it answers, it does not call `done`, so the 404 handler never runs.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const web = webAnswer(request.method, request.url, request.headers.accept);
    if (web.kind === 'none') return done();
    answer(web, reply).then(
      (answered) => {
        if (!answered) done();
      },
      (err: Error) => done(err),
    );
  });
}

export default fp(webClient, { name: 'web-client', fastify: '5.x', dependencies: ['security-headers'] });
