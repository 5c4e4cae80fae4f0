import { mkdir, writeFile } from 'node:fs/promises';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import t from 'tap';
import { errorBody } from '../errors/app-error.js';
import { buildTestApp } from '../app.test-support.js';
import { parseCsp } from '../plugins/security-headers.test-support.js';
import { BUILD_COMMAND, IMMUTABLE_CACHE, PAGE_CACHE } from './web.plugin.js';

/** What Chromium sends when it navigates to a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="app"></div></body></html>\n';
const APP_JS = 'document.getElementById("app").textContent = "hello";\n';
const SECRET = 'not-for-the-web-0f3c';

const EXPECTED_CSP = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'connect-src': ["'self'"],
  'font-src': ["'self'"],
  'manifest-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

// A build as Vite writes it (page, hashed assets, a file of public/), and a file beside it that must stay unreachable.
const dir = t.testdir({
  dist: { 'index.html': INDEX_HTML, 'favicon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>', assets: {
      'app-abc123.js': APP_JS,
      // As packages/web/scripts/precompress.js writes them; a style without copies is sent as it is.
      'app-abc123.js.br': brotliCompressSync(APP_JS),
      'app-abc123.js.gz': gzipSync(APP_JS),
      'app-abc123.css': 'body{}',
    },
  },
  'secret.txt': SECRET,
});
const app = await buildTestApp(t, { env: { WEB_CLIENT_DIR: join(dir, 'dist') } });
const notFound = errorBody('ROUTE_NOT_FOUND');

t.test('/ is the page: revalidated on every use, under the client CSP, with the other security headers', async (t) => {
  for (const accept of [BROWSER_ACCEPT, undefined]) {
    const res = await app.inject({ method: 'GET', url: '/', headers: accept === undefined ? {} : { accept } });
    t.equal(res.statusCode, 200, `accept: ${accept}`);
    t.match(res.headers['content-type'], /^text\/html/);
    t.equal(res.body, INDEX_HTML);
    t.equal(res.headers['cache-control'], PAGE_CACHE);
    t.same(parseCsp(res.headers['content-security-policy']), EXPECTED_CSP);
    t.equal(res.headers['x-frame-options'], 'DENY');
    t.equal(res.headers['x-content-type-options'], 'nosniff');
  }
  const first = await app.inject({ method: 'GET', url: '/', headers: { accept: BROWSER_ACCEPT } });
  t.ok(first.headers.etag, 'an ETag to revalidate with');
  const again = await app.inject({ method: 'GET', url: '/', headers: { accept: BROWSER_ACCEPT, 'if-none-match': String(first.headers.etag) } });
  t.equal(again.statusCode, 304, 'an unchanged page is not sent again');
  const head = await app.inject({ method: 'HEAD', url: '/', headers: { accept: BROWSER_ACCEPT } });
  t.equal(head.statusCode, 200);
  t.equal(head.body, '', 'HEAD: no body');
});

t.test('hashed assets are cached for a year, immutable; a missing one is the API 404', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
  t.equal(res.statusCode, 200);
  t.equal(res.body, APP_JS);
  t.match(res.headers['content-type'], /javascript/);
  t.equal(res.headers['cache-control'], IMMUTABLE_CACHE);
  t.equal(IMMUTABLE_CACHE, 'public, max-age=31536000, immutable');
  const missing = await app.inject({ method: 'GET', url: '/assets/app-000000.js', headers: { accept: BROWSER_ACCEPT } });
  t.equal(missing.statusCode, 404, 'never the page under /assets, even for a browser');
  t.same(missing.json(), notFound);
});

t.test('assets go out precompressed where the browser accepts it (brotli, else gzip), as they are otherwise', async (t) => {
  const br = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  t.equal(br.headers['content-encoding'], 'br');
  t.equal(brotliDecompressSync(br.rawPayload).toString(), APP_JS);
  t.match(br.headers.vary, /accept-encoding/i, 'caches keep the encodings apart');
  t.equal(br.headers['cache-control'], IMMUTABLE_CACHE);
  const gz = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip' } });
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.equal(gunzipSync(gz.rawPayload).toString(), APP_JS);
  const plain = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'identity' } });
  t.notOk(plain.headers['content-encoding']);
  t.equal(plain.body, APP_JS);
  const css = await app.inject({ method: 'GET', url: '/assets/app-abc123.css', headers: { 'accept-encoding': 'br' } });
  t.equal(css.statusCode, 200);
  t.notOk(css.headers['content-encoding'], 'no copy: the file itself');
  t.equal(css.body, 'body{}');
});

t.test('deep links a browser opens get the page; the client routes them', async (t) => {
  for (const url of ['/verify?registration=x', '/c/123', '/settings', '/no/such/client/page']) {
    const res = await app.inject({ method: 'GET', url, headers: { accept: BROWSER_ACCEPT } });
    t.equal(res.statusCode, 200, url);
    t.equal(res.body, INDEX_HTML, url);
    t.equal(res.headers['cache-control'], PAGE_CACHE, url);
    t.same(parseCsp(res.headers['content-security-policy']), EXPECTED_CSP, url);
  }
  const icon = await app.inject({ method: 'GET', url: '/favicon.svg', headers: { accept: 'image/avif,image/webp,*/*' } });
  t.equal(icon.statusCode, 200, 'a file of the build’s top folder (Vite’s public/) is served');
  t.match(icon.headers['content-type'], /svg/);
  t.equal(icon.headers['cache-control'], PAGE_CACHE, 'its name has no hash: revalidated');
});

t.test('everything else keeps the API’s JSON 404', async (t) => {
  const cases: [string, string, Record<string, string>][] = [
    ['GET', '/v1/nope', { accept: BROWSER_ACCEPT }],
    ['GET', '/docs/nope', { accept: BROWSER_ACCEPT }],
    ['GET', '/health/nope', { accept: BROWSER_ACCEPT }],
    ['GET', '/nope', { accept: 'application/json' }],
    ['GET', '/nope', { accept: '*/*' }],
    ['GET', '/nope', { accept: 'text/html;q=0, application/json' }],
    ['GET', '/nope', {}],
    ['GET', '/missing.png', { accept: 'image/webp,*/*' }],
    ['POST', '/c/123', { accept: BROWSER_ACCEPT }],
    ['DELETE', '/', { accept: BROWSER_ACCEPT }],
  ];
  for (const [method, url, headers] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers });
    t.equal(res.statusCode, 404, `${method} ${url} ${JSON.stringify(headers)}`);
    t.match(res.headers['content-type'], /application\/json/);
    t.same(res.json(), notFound);
  }
  const health = await app.inject({ method: 'GET', url: '/health', headers: { accept: BROWSER_ACCEPT } });
  t.same(health.json(), { status: 'ok' }, 'the API’s own routes are untouched');
  const tooLong = await app.inject({ method: 'GET', url: `/v1/registrations/${'r'.repeat(200)}`, headers: { accept: BROWSER_ACCEPT } });
  t.equal(tooLong.statusCode, 414, 'a router refusal stays a refusal (no catch-all route to fall back to)');
});

t.test('no path leaves the build folder', async (t) => {
  const urls = [
    '/assets/../secret.txt',
    '/assets/..%2fsecret.txt',
    '/assets/%2e%2e/secret.txt',
    '/assets/%2e%2e%2fsecret.txt',
    '/assets/..%5csecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/assets//etc/passwd',
    `/assets/${encodeURIComponent(join(dir, 'secret.txt'))}`,
  ];
  for (const url of urls) {
    for (const accept of [BROWSER_ACCEPT, '*/*']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept } });
      t.notOk(res.body.includes(SECRET), `${url} (${accept}): not the file outside (${res.statusCode})`);
      t.not(res.headers['content-type'], 'text/plain; charset=utf-8', `${url}: no text file served`);
      if (res.statusCode === 200) t.equal(res.body, INDEX_HTML, `${url}: a 200 is only ever the page`);
    }
  }
});

t.test('the client’s routes stay out of the OpenAPI document', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs/json' });
  const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
  t.ok(paths.length > 0);
  t.same(paths.filter((p) => !/^\/(v1|health|ready)(\/|$)/.test(p)), [], 'only API paths');
});

t.test('without a build the backend starts; the page says how to build it (503), the API is unchanged', async (t) => {
  const later = join(t.testdir({}), 'dist');
  const unbuilt = await buildTestApp(t, { env: { WEB_CLIENT_DIR: later } });
  for (const url of ['/', '/c/123']) {
    const res = await unbuilt.inject({ method: 'GET', url, headers: { accept: BROWSER_ACCEPT } });
    t.equal(res.statusCode, 503, url);
    t.match(res.headers['content-type'], /^text\/html/);
    t.ok(res.body.includes(BUILD_COMMAND), 'it names the build command');
    t.equal(res.headers['cache-control'], 'no-store');
  }
  const asset = await unbuilt.inject({ method: 'GET', url: '/assets/app-abc123.js' });
  t.same([asset.statusCode, asset.json()], [404, notFound]);
  const json = await unbuilt.inject({ method: 'GET', url: '/nope', headers: { accept: 'application/json' } });
  t.same([json.statusCode, json.json()], [404, notFound]);
  t.equal((await unbuilt.inject({ method: 'GET', url: '/health' })).statusCode, 200);

  // `pnpm dev`: the first build may finish after the backend started; no restart needed.
  await mkdir(join(later, 'assets'), { recursive: true });
  await writeFile(join(later, 'index.html'), INDEX_HTML);
  await writeFile(join(later, 'assets', 'app-abc123.js'), APP_JS);
  const built = await unbuilt.inject({ method: 'GET', url: '/', headers: { accept: BROWSER_ACCEPT } });
  t.same([built.statusCode, built.body], [200, INDEX_HTML]);
  const builtAsset = await unbuilt.inject({ method: 'GET', url: '/assets/app-abc123.js' });
  t.same([builtAsset.statusCode, builtAsset.body], [200, APP_JS]);
});
