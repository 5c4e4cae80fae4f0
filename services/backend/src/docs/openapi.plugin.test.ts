import t from 'tap';
import { createBackend } from '../backend.js';
import { testConfig } from '../app.test-support.js';
import { ERROR_CATALOGUE } from '@ashchat/contracts';
import { DOCS_PREFIX, OPENAPI_TAGS, isDocsPage, preRouteErrors } from './openapi.plugin.js';
import { WEB_ASSETS_PREFIX } from '../web/web.routing.js';

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface RouteSchema {
  body?: unknown;
  params?: { properties?: Record<string, unknown> };
  querystring?: { properties?: Record<string, unknown> };
  response?: Record<string, unknown>;
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  hide?: boolean;
}

// The real backend on the real infrastructure, with every route it registers recorded as it is
// registered: the list the document is checked against comes from the app, not from this file.
const config = await testConfig();
const app = createBackend(config, { server: { logger: false }, registration: { consumeReplies: false, background: false } });
// Copied at once: Fastify reuses a route's options object for its variants (`/docs` and `/docs/`).
const endpoints: { method: string; url: string; schema: RouteSchema; websocket: boolean }[] = [];
app.addHook('onRoute', (route) => {
  // HEAD twins of GET routes are Fastify's own (exposeHeadRoutes) and not documented.
  for (const method of [route.method].flat().filter((m) => m !== 'HEAD')) {
    const ws = route as { wsHandler?: unknown; websocket?: unknown };
    const websocket = Boolean(ws.wsHandler ?? ws.websocket);
    endpoints.push({ method: method.toLowerCase(), url: route.url, schema: (route.schema ?? {}) as RouteSchema, websocket });
  }
});
t.teardown(async () => {
  await app.mongo?.db.dropDatabase().catch(() => undefined);
  await app.close();
});
await app.ready();

const served = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/json` });
const document = served.json() as { paths: Record<string, Record<string, Operation>> };

const docsPages = endpoints.filter((e) => isDocsPage(e.url));
// WebSocket endpoints are not REST operations: realtime/README.md describes their protocol.
const websockets = endpoints.filter((e) => e.websocket);
// Nor are the web client's files (web/web.plugin.ts: a hidden route under /assets/).
const webClient = endpoints.filter((e) => e.url.startsWith(WEB_ASSETS_PREFIX));
const api = endpoints.filter((e) => !isDocsPage(e.url) && !e.websocket && !webClient.includes(e));
const openApiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}');
/** The one failure status whose body is not an ErrorResponse: the readiness probe's own answer. */
const NOT_ERROR_BODIES = new Set(['GET /ready 503']);

t.test('GET /docs/json serves a JSON document', async (t) => {
  // That it is the very document `pnpm run docs` writes: packages/docs' openapi.document.test.ts.
  t.equal(served.statusCode, 200);
  t.match(served.headers['content-type'], /application\/json/);
});

t.test('the app registers the API routes the document is checked against', async (t) => {
  const names = api.map((e) => `${e.method.toUpperCase()} ${e.url}`);
  for (const expected of ['GET /health', 'GET /ready', 'POST /v1/registrations', 'GET /v1/registrations/:id']) {
    t.ok(names.includes(expected), `${expected} was collected`);
  }
});

t.test('every API route is documented with its request and response schemas', async (t) => {
  for (const { method, url, schema } of api) {
    const name = `${method.toUpperCase()} ${url}`;
    const operation = document.paths[openApiPath(url)]?.[method];
    if (!operation) {
      t.fail(`${name} is missing from the document`);
      continue;
    }
    t.ok(operation.operationId && operation.summary && operation.description, `${name} has an operationId, a summary and a description`);
    t.ok(operation.tags?.length && operation.tags.every((tag) => OPENAPI_TAGS.some((known) => known.name === tag)), `${name} is tagged with a known group`);
    if (schema.body !== undefined) t.ok(operation.requestBody?.content['application/json']?.schema, `${name} documents its body`);
    else t.notOk(operation.requestBody, `${name} has no body`);
    for (const [where, part] of [['path', schema.params], ['query', schema.querystring]] as const) {
      const documented = (operation.parameters ?? []).filter((p) => p.in === where).map((p) => p.name).sort();
      t.same(documented, Object.keys(part?.properties ?? {}).sort(), `${name} documents its ${where} parameters`);
    }
    const statuses = Object.keys(schema.response ?? {});
    t.ok(statuses.some((s) => s.startsWith('2')), `${name} declares its success response`);
    // Plus the refusals before routing (timeouts, header size, path parameter length), never declared by a route.
    const preRoute = preRouteErrors(url).map((code) => String(ERROR_CATALOGUE[code].status));
    t.same(Object.keys(operation.responses).sort(), [...new Set([...statuses.map((s) => s.toUpperCase()), ...preRoute])].sort(), `${name} documents every status it declares`);
    for (const status of preRoute) {
      t.equal(operation.responses[status]?.content?.['application/json']?.schema?.$ref, '#/components/schemas/ErrorResponse', `${name} ${status} (before routing) is an ErrorResponse`);
    }
    for (const status of statuses) {
      const response = operation.responses[status.toUpperCase()];
      // 204 No Content has no body to describe.
      if (status === '204') t.notOk(response?.content, `${name} 204 has no body`);
      // File downloads (files/) answer bytes, described as binary.
      else t.ok(response?.content?.['application/json']?.schema ?? response?.content?.['application/octet-stream']?.schema, `${name} ${status} has a body schema`);
      t.not(response?.description, 'Default Response', `${name} ${status} says what it means`);
      if (Number(status) >= 400 && !NOT_ERROR_BODIES.has(`${name} ${status}`)) {
        t.equal(response?.content?.['application/json']?.schema?.$ref, '#/components/schemas/ErrorResponse', `${name} ${status} is an ErrorResponse`);
      }
    }
  }
});

t.test('the document holds the API routes and nothing else', async (t) => {
  const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
  t.same(documented.sort(), api.map((e) => `${e.method} ${openApiPath(e.url)}`).sort());
});

t.test('the WebSocket endpoint is registered and left out of the document', async (t) => {
  t.same(websockets.map((e) => `${e.method} ${e.url}`), ['get /v1/ws']);
  t.notOk(document.paths['/v1/ws'], 'not an OpenAPI operation');
});

t.test("the web client's files are served by one route, left out of the document", async (t) => {
  t.same(webClient.map((e) => `${e.method} ${e.url}`), [`get ${WEB_ASSETS_PREFIX}*`]);
  t.same(Object.keys(document.paths).filter((path) => path.startsWith(WEB_ASSETS_PREFIX)), [], 'not an OpenAPI operation');
});

t.test("Swagger UI's own routes are registered and excluded from the document", async (t) => {
  const urls = docsPages.map((e) => e.url);
  for (const own of [DOCS_PREFIX, `${DOCS_PREFIX}/json`, `${DOCS_PREFIX}/yaml`, `${DOCS_PREFIX}/static/*`]) {
    t.ok(urls.includes(own), `${own} is registered`);
    t.notOk(document.paths[openApiPath(own)], `${own} is not documented`);
  }
});

t.test('GET /docs serves Swagger UI with its assets from this server', async (t) => {
  let res = await app.inject({ method: 'GET', url: DOCS_PREFIX });
  for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 5; hops++) {
    res = await app.inject({ method: 'GET', url: new URL(String(res.headers.location), `http://localhost${DOCS_PREFIX}`).pathname });
  }
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
  t.match(res.body, /<div id="swagger-ui">/);
  const scripts = [...res.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1] ?? '');
  t.ok(scripts.some((src) => src.endsWith('/swagger-ui-bundle.js')), 'loads the Swagger UI bundle');
  t.notOk(scripts.some((src) => /^(https?:)?\/\//.test(src)), 'from no other host (no CDN)');
  const bundle = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/static/swagger-ui-bundle.js` });
  t.equal(bundle.statusCode, 200, 'the bundle is served from node_modules');
  t.match(bundle.headers['content-type'], /javascript/);
  const initializer = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/static/swagger-initializer.js` });
  t.match(initializer.body, /resolveUrl\('\.\/json'\)/, 'the UI loads this document');
});
