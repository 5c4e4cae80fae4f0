import t from 'tap';
import { loggedApp } from '../app.test-support.js';
import { signedInUser } from '../chat/chat.test-support.js';
import { connectWs } from '../realtime/ws.test-support.js';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { pino } from 'pino';
import { loggerOptions } from '@ashchat/service-kit';
import { completionLineUnredacted, requestChildLogger } from './request-log.js';

t.test("a request's child logger writes what pino's child() writes, still redacted", async (t) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ ...loggerOptions('info'), timestamp: false }, stream).child({ service: 'backend' });
  const host = Fastify({ logger: false });
  t.teardown(() => host.close());
  const ours = requestChildLogger.call(host, logger, { reqId: 'req-7' }, {}, {} as never);
  ours.info({ body: { password: 'hunter2', code: '123456' }, token: 'abc' }, 'handler line');
  logger.child({ reqId: 'req-7' }, {}).info({ body: { password: 'hunter2', code: '123456' }, token: 'abc' }, 'handler line');
  t.equal(lines.length, 2);
  t.equal(lines[0], lines[1], 'the same bytes');
  t.match(JSON.parse(lines[0]!), { service: 'backend', reqId: 'req-7', body: { password: '[REDACTED]', code: '[REDACTED]' }, token: '[REDACTED]' });
  const warn = requestChildLogger.call(host, logger, { reqId: 'req-8' }, { level: 'warn' }, {} as never);
  warn.info('not written');
  t.equal(lines.length, 2, 'a route log level still applies');
});

t.test('completion lines skip redaction only while it would change nothing in them', async (t) => {
  t.equal(completionLineUnredacted(), true, 'the service paths reach no field of the line');
  t.equal(completionLineUnredacted({ paths: ['req.remoteAddress'] }), false, 'a path on a field of the line');
  t.equal(completionLineUnredacted({ paths: ['*.url'] }), false, 'a wildcard path reaching one');
  t.equal(completionLineUnredacted({ paths: ['reqId'] }), false, 'a top-level field');
});

t.test('one line per request, when it completes: its id, method, redacted URL, status and time', async (t) => {
  const { app, lines } = await loggedApp(t);
  const ada = await signedInUser(app);
  const from = lines.length;
  const ok = await ada.call('GET', '/v1/conversations?limit=5');
  const refused = await app.inject({ method: 'GET', url: '/v1/conversations', headers: { authorization: 'Bearer a.b.c' } });
  t.same([ok.statusCode, refused.statusCode], [200, 401]);
  const entries = lines.slice(from).map((line) => JSON.parse(line) as Record<string, unknown>);
  const completed = entries.filter((e) => e.msg === 'request completed');
  t.equal(completed.length, 2, 'one completion line each');
  const [first, second] = completed as [Record<string, unknown>, Record<string, unknown>];
  t.same(Object.keys(first), ['level', 'time', 'pid', 'hostname', 'reqId', 'req', 'res', 'responseTime', 'msg'], 'the fields, in the order pino writes a request child line');
  t.match(first, { level: 30, req: { method: 'GET', url: '/v1/conversations?limit=5', remoteAddress: '127.0.0.1' }, res: { statusCode: 200 }, responseTime: Number });
  t.match(second, { res: { statusCode: 401 } });
  t.not(first.reqId, second.reqId, 'each with its own request id');
  t.ok(
    entries.some((e) => e.reqId === second.reqId && e.msg === 'request rejected'),
    "the handler's own line for the refusal carries the same id",
  );
  t.notOk(lines.slice(from).join('').includes('a.b.c'), 'no header in any line');
});

t.test('a token in a query string never reaches the log, whatever the route', async (t) => {
  const { app, lines, port } = await loggedApp(t);
  const ada = await signedInUser(app);
  const token = ada.session.accessToken;
  const signature = token.split('.')[2]!;

  const answers = {
    // An API route refusing the unknown parameter (400), and refusing the unauthenticated client (401).
    conversations: await app.inject({ method: 'GET', url: `/v1/conversations?limit=5&access_token=${token}`, headers: ada.session.headers }),
    unauthenticated: await app.inject({ method: 'GET', url: `/v1/conversations?access_token=${token}` }),
    // The not-found handler logs the URL itself.
    notFound: await app.inject({ method: 'GET', url: `/v1/nowhere?token=${token}` }),
    // A bare token as the whole query; a refusal by the router (414).
    bare: await app.inject({ method: 'GET', url: `/v1/registrations/${'r'.repeat(200)}?${token}` }),
  };
  t.same(
    Object.fromEntries(Object.entries(answers).map(([name, res]) => [name, res.statusCode])),
    { conversations: 400, unauthenticated: 401, notFound: 404, bare: 414 },
    'the answers under test',
  );
  // The WebSocket upgrade, as a browser client might try it.
  const ws = await connectWs(t, `ws://127.0.0.1:${port}/v1/ws?access_token=${token}`);
  ws.close();
  await ws.closeCode();

  const log = lines.join('');
  t.notOk(log.includes(signature), 'no access token (nor its signature) in the log');
  const urls = lines.flatMap((line) => {
    const entry = JSON.parse(line) as { req?: { url?: string }; url?: string };
    return [entry.req?.url, entry.url].filter((u): u is string => u !== undefined);
  });
  t.ok(urls.includes('/v1/conversations?limit=5&[REDACTED]'), 'the path and a page size are kept');
  t.ok(urls.includes('/v1/nowhere?[REDACTED]'), 'the not-found log line has the path');
  t.ok(urls.includes('/v1/ws?[REDACTED]'), 'the upgrade request was logged, its query censored');
});
