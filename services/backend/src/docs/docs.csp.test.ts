import t from 'tap';
import { buildTestApp } from '../app.test-support.js';
import { cspRecord, pageCsp } from '../plugins/security-headers.plugin.js';
import { parseCsp } from '../plugins/security-headers.test-support.js';
import { SWAGGER_UI_CSP } from './openapi.plugin.js';
import { SAGA_PAGE_CSP } from './saga-pages.plugin.js';

const app = await buildTestApp(t);

t.test('Swagger UI is served under the CSP it needs, never the API one, and cannot be framed', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
  t.same(parseCsp(res.headers['content-security-policy']), cspRecord(SWAGGER_UI_CSP));
  t.same(parseCsp(res.headers['content-security-policy'])['frame-ancestors'], ["'none'"]);
  t.equal(res.headers['x-frame-options'], 'DENY');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['referrer-policy'], 'no-referrer');
});

t.test('the saga page is served under the CSP it needs: no inline script', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs/sagas' });
  t.equal(res.statusCode, 200);
  const csp = parseCsp(res.headers['content-security-policy']);
  t.same(csp, cspRecord(pageCsp(SAGA_PAGE_CSP)));
  t.same(csp['script-src'], ["'self'"], 'scripts only from this server');
  t.notMatch(res.body, /<script>/, 'so the page has no inline script');
  t.equal(res.headers['x-frame-options'], 'DENY');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
});
