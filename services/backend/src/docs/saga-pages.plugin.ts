import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { toMermaid } from '@ashchat/saga';
import { SAGA_DOCS, type SagaDocEntry } from './saga-docs.registry.js';
import { renderSagaFlow } from './saga-flow.render.js';
import { pageSecurity, type CspDirectives } from '../plugins/security-headers.plugin.js';

export const SAGA_PAGE_PATH = '/docs/sagas';
const MERMAID_PATH = `${SAGA_PAGE_PATH}/mermaid.min.js`;
/** Starts Mermaid: a script of its own, so the page's CSP allows no inline script. */
const INIT_PATH = `${SAGA_PAGE_PATH}/init.js`;
const INIT_SCRIPT = "mermaid.initialize({ startOnLoad: true, securityLevel: 'strict' });\n";

/**
 * What the page loads: its two scripts from here; styles from its own <style> and the ones Mermaid
 * writes into every SVG it draws (hence 'unsafe-inline' for styles, never for scripts).
 */
export const SAGA_PAGE_CSP: CspDirectives = {
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
};
/** Mermaid's self-contained browser build, from node_modules (never a CDN). */
const MERMAID_FILE = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The page: each saga's chart as Mermaid source, which the browser renders to SVG. */
export function renderSagaPage(entries: readonly SagaDocEntry[] = SAGA_DOCS): string {
  const sections = entries.map(
    (e) => `<section id="${escapeHtml(e.definition.name)}">
<h2>${escapeHtml(e.title)} <small>(machine <code>${escapeHtml(e.definition.name)}</code>, version ${e.definition.version})</small></h2>
<p>Source: <code>${escapeHtml(e.source)}</code>. Tables of states, events and messages: <code>docs/sagas/${escapeHtml(e.definition.name)}.md</code>.</p>
<h3>State chart</h3>
<pre class="mermaid">
${escapeHtml(toMermaid(e.definition.machine))}</pre>
<h3>Message flow</h3>
<pre class="mermaid">
${escapeHtml(renderSagaFlow(e))}</pre>
</section>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>AshChat sagas</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem}pre.mermaid{background:#fff}small{font-weight:normal;color:#555}</style>
</head>
<body>
<h1>AshChat sagas</h1>
<p>Drawn from the machine definitions this backend runs. API reference: <a href="/docs">/docs</a>.</p>
${sections.join('\n')}
<script src="${MERMAID_PATH}"></script>
<script src="${INIT_PATH}"></script>
</body>
</html>
`;
}

/** GET /docs/sagas (the charts, rendered in the browser) and the Mermaid script it loads. */
async function sagaPages(app: FastifyInstance): Promise<void> {
  const page = renderSagaPage();
  app.get(SAGA_PAGE_PATH, { schema: { hide: true }, helmet: pageSecurity(SAGA_PAGE_CSP) }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page),
  );
  app.get(INIT_PATH, { schema: { hide: true } }, async (_request, reply) => reply.type('application/javascript; charset=utf-8').send(INIT_SCRIPT));
  app.get(MERMAID_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(createReadStream(MERMAID_FILE)),
  );
}

export default fp(sagaPages, { name: 'saga-pages', fastify: '5.x' });
