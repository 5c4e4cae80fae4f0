import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createBackend, loadBackendConfig, DOCS_PREFIX } from '@ashchat/backend';
import { getInfra, uniqueName } from '@ashchat/testkit';
import { renderOpenApi } from './openapi.document.js';

const DOCUMENT_MODULE = fileURLToPath(new URL('./openapi.document.ts', import.meta.url));
const text = await renderOpenApi();
const document = JSON.parse(text) as {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
};

t.test('GET /docs/json serves the document renderOpenApi() renders', async (t) => {
  // The real backend on the real infrastructure, as it serves its documentation.
  const infra = await getInfra();
  const config = loadBackendConfig({
    envFile: false,
    env: {
      MONGODB_URI: infra.mongodbUri,
      MONGODB_DB: uniqueName('ashchat_docs').replace(/[-.]/g, '_'),
      AMQP_URI: infra.amqpUri,
      REDIS_URI: infra.redisUri,
      VERIFICATION_CODE_SECRET: randomBytes(32).toString('hex'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    },
  });
  const app = createBackend(config, { server: { logger: false }, registration: { consumeReplies: false, background: false } });
  t.teardown(async () => {
    await app.mongo?.db.dropDatabase().catch(() => undefined);
    await app.close();
  });
  await app.ready();
  const served = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/json` });
  t.equal(served.statusCode, 200);
  t.match(served.headers['content-type'], /application\/json/);
  t.same(served.json(), document);
});

t.test('the document is valid OpenAPI 3.1', async (t) => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  t.same(result.errors, undefined, 'no schema violations');
  t.equal(result.valid, true);
  t.equal(validator.version, '3.1');
});

t.test('it is deterministic 2-space JSON with a trailing newline', async (t) => {
  t.equal(await renderOpenApi(), text, 'a second rendering gives the same text');
  t.equal(text, `${JSON.stringify(document, null, 2)}\n`);
  t.notOk('servers' in document, 'no host of the machine that rendered it');
});

t.test('info names the backend and its package version', async (t) => {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.resolve('@ashchat/backend')), 'utf8')) as { version: string };
  t.equal(document.openapi, '3.1.0');
  t.equal(document.info.title, 'AshChat backend');
  t.equal(document.info.version, pkg.version);
});

t.test('the contracts schemas are shared components, named after their $id', async (t) => {
  for (const name of ['ErrorResponse', 'CreateRegistrationBody', 'VerifyRegistrationBody', 'RegistrationAccepted', 'RegistrationView', 'HealthResponse', 'ReadinessResponse']) {
    t.ok(document.components.schemas[name], name);
  }
  t.same(Object.keys(document.components.schemas), Object.keys(document.components.schemas).sort(), 'sorted by name');
  t.notMatch(text, /def-\d/, 'no generated names');
});

t.test('it renders in a process of its own without infrastructure, and that process exits', async (t) => {
  const env = { ...process.env };
  for (const name of ['MONGODB_URI', 'REDIS_URI', 'AMQP_URI']) delete env[name];
  const script = `const { renderOpenApi } = await import(${JSON.stringify(DOCUMENT_MODULE)}); process.stdout.write(await renderOpenApi());`;
  // An open handle would keep the child alive until this bound kills it (and the test fails).
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    ['--import=tsx', '--conditions=ashchat-source', '--input-type=module', '--eval', script],
    { env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
  );
  t.equal(stdout, text, 'the same document');
  t.equal(stderr, '', 'nothing logged');
});
