import t from 'tap';
import { createAmqpConnection, createSilentLogger } from '@ashchat/messaging';
import { loadVerifierConfig } from './config.js';
import { buildHealthApp } from './app.js';
import { connect, type AddressInfo } from 'node:net';
import { API_SECURITY_HEADERS, closeRedis, createRedisClient, type HttpTimeouts } from '@ashchat/service-kit';
import { createSmtpTransport } from './connections/smtp.connection.js';
import { awaitReadiness, closedPort } from '@ashchat/testkit';
import { testEnv } from './app.test-support.js';
import { pino } from 'pino';

/** A health app over real connections, all closed at teardown. */
async function healthApp(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}, timeouts?: HttpTimeouts) {
  const config = loadVerifierConfig({ env: await testEnv(env), envFile: false });
  const logger = pino({ level: 'silent' });
  const redis = createRedisClient(config.REDIS_URI, logger, 'ashchat-verifier');
  const amqp = createAmqpConnection({ uri: config.AMQP_URI, name: 'ashchat-verifier-test', logger: createSilentLogger() });
  const smtp = createSmtpTransport(config);
  const app = await buildHealthApp({ redis, amqp, smtp, ...(timeouts ? { timeouts } : {}) });
  t.teardown(async () => {
    await app.close();
    await amqp.close();
    await closeRedis(redis);
    smtp.close();
  });
  return app;
}

t.test('every answer carries the security headers', async (t) => {
  const app = await healthApp(t);
  for (const url of ['/health', '/nope']) {
    const res = await app.inject({ method: 'GET', url });
    t.match(res.headers, API_SECURITY_HEADERS, url);
  }
});

t.test('a request whose headers never complete gets 408 REQUEST_TIMEOUT and the connection is closed', async (t) => {
  const app = await healthApp(t, {}, { requestTimeoutMs: 400, headersTimeoutMs: 200 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  // Bounded: the server must close the connection itself.
  const received = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('GET /health HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: a'));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the connection was kept open for 10 s'));
    }, 10_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
  t.match(received, /^HTTP\/1\.1 408 /);
  t.match(received, /"code":"REQUEST_TIMEOUT"/);
  t.match(received, /\r\nx-content-type-options: nosniff\r\n/);
});

const ready = (app: Awaited<ReturnType<typeof healthApp>>) => async () => {
  const res = await app.inject({ method: 'GET', url: '/ready' });
  return { statusCode: res.statusCode, body: res.json() as unknown };
};

t.test('GET /health answers 200 ok', async (t) => {
  const app = await healthApp(t);
  const res = await app.inject({ method: 'GET', url: '/health' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok' });
  const missing = await app.inject({ method: 'GET', url: '/nope' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'ROUTE_NOT_FOUND');
});

t.test('GET /ready checks Redis, RabbitMQ and SMTP for real', async (t) => {
  const app = await healthApp(t);
  const expected = { status: 'ready', checks: { redis: 'up', rabbitmq: 'up', smtp: 'up' } };
  const res = await awaitReadiness(ready(app), expected);
  t.equal(res.statusCode, 200);
  t.same(res.body, expected);
});

t.test('GET /ready is 503 naming SMTP when the SMTP server is unreachable', async (t) => {
  const app = await healthApp(t, { SMTP_URI: `smtp://127.0.0.1:${await closedPort()}` });
  const expected = { status: 'not-ready', checks: { redis: 'up', rabbitmq: 'up', smtp: 'down' } };
  const res = await awaitReadiness(ready(app), expected);
  t.equal(res.statusCode, 503);
  t.same(res.body, expected);
});

t.test('GET /ready is 503 naming Redis when Redis is unreachable', async (t) => {
  const app = await healthApp(t, { REDIS_URI: `redis://127.0.0.1:${await closedPort()}` });
  const expected = { status: 'not-ready', checks: { redis: 'down', rabbitmq: 'up', smtp: 'up' } };
  const res = await awaitReadiness(ready(app), expected);
  t.equal(res.statusCode, 503);
  t.same(res.body, expected);
});
