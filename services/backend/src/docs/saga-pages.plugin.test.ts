import t from 'tap';
import { buildTestApp } from '../app.test-support.js';
import { SAGA_DOCS } from './saga-docs.registry.js';
import { renderSagaPage } from './saga-pages.plugin.js';

t.test('GET /docs/sagas serves every saga chart as Mermaid source and the script that draws it', async (t) => {
  const app = await buildTestApp(t);
  const page = await app.inject({ method: 'GET', url: '/docs/sagas' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  t.equal(page.body, renderSagaPage());
  for (const entry of SAGA_DOCS) {
    t.match(page.body, `<section id="${entry.definition.name}">`);
    t.match(page.body, /<pre class="mermaid">\nstateDiagram-v2\n/);
  }
  t.match(page.body, 'requestingCode --&gt; awaitingCode : CODE_SENT [isPendingReply]', 'the chart, HTML-escaped');
  t.match(page.body, '<script src="/docs/sagas/mermaid.min.js"></script>', 'loaded from this server, not a CDN');

  t.match(page.body, '<script src="/docs/sagas/init.js"></script>', 'and started by a script of its own (the CSP allows no inline script)');
  const init = await app.inject({ method: 'GET', url: '/docs/sagas/init.js' });
  t.equal(init.statusCode, 200);
  t.match(init.headers['content-type'], /^application\/javascript/);
  t.match(init.body, /mermaid\.initialize\(\{ startOnLoad: true, securityLevel: 'strict' \}\)/);

  const script = await app.inject({ method: 'GET', url: '/docs/sagas/mermaid.min.js' });
  t.equal(script.statusCode, 200);
  t.match(script.headers['content-type'], /^application\/javascript/);
  t.ok(script.body.length > 100_000, 'the mermaid browser build');
});
