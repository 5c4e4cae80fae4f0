import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { pino } from 'pino';
import { loggerOptions, redactUrl } from './logger.js';

function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino(loggerOptions('info'), stream);
  return { logger, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

t.test('credentials, passwords, codes and tokens are redacted', async (t) => {
  const { logger, lines } = capture();
  logger.info({
    req: { method: 'POST', url: '/x', headers: { authorization: 'Bearer abc.def', cookie: 'sid=s3cr3t', host: 'h' } },
    res: { statusCode: 200, headers: { 'set-cookie': 'sid=s3cr3t' } },
    password: 'hunter2hunter2',
    body: { email: 'a@b.c', password: 'hunter2hunter2', code: '123456', newPassword: 'n3wpass', currentPassword: 'curpass', deviceId: 'dev-secret-1' },
    change: { newPassword: 'n3wpass', currentPassword: 'curpass' },
    code: '654321',
    token: 'tok-1',
    session: { refreshToken: 'rt-1', accessToken: 'at-1' },
  });
  const [line] = lines();
  const text = JSON.stringify(line);
  for (const secret of ['abc.def', 's3cr3t', 'hunter2', '123456', '654321', 'tok-1', 'rt-1', 'at-1', 'n3wpass', 'curpass', 'dev-secret-1']) {
    t.notMatch(text, secret, `${secret} is not logged`);
  }
  t.match(line, { req: { method: 'POST', url: '/x', host: 'h' }, body: { email: 'a@b.c' } });
  t.notOk((line?.req as Record<string, unknown>).headers, 'request headers are never logged');
});

t.test('a logged request URL keeps its path and loses every query value but a page size', async (t) => {
  const { logger, lines } = capture();
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  logger.info({ req: { method: 'GET', url: `/v1/ws?access_token=${jwt}&limit=20&before=c1&${jwt}&query=ada%20l` } });
  const [line] = lines();
  t.equal((line?.req as Record<string, unknown>).url, '/v1/ws?[REDACTED]&limit=20&before=[REDACTED]&[REDACTED]&query=[REDACTED]');
  t.notMatch(JSON.stringify(line), 'c2lnbmF0dXJl', 'no part of the token');
});

t.test('redactUrl censors what could carry a secret and nothing the API needs to debug', async (t) => {
  t.equal(redactUrl('/v1/conversations'), '/v1/conversations', 'a path alone is kept');
  t.equal(redactUrl('/v1/conversations?'), '/v1/conversations?');
  t.equal(redactUrl('/x?limit=50&limit=abc&limit=99999'), '/x?limit=50&limit=[REDACTED]&limit=[REDACTED]', 'a page size only as a number');
  t.equal(redactUrl('/x?token=a&refresh_token=b&code=123456'), '/x?[REDACTED]&[REDACTED]&[REDACTED]', 'unknown names are censored with their values');
  t.equal(redactUrl('/x?%E0%A4%A=1&limit=%31%32'), '/x?[REDACTED]&limit=12', 'undecodable names are censored; encoded values compared decoded');
  t.equal(redactUrl('/x?cursor'), '/x?cursor', 'a known name without a value');
  const long = redactUrl(`/v1/registrations/${'a'.repeat(5_000)}?limit=1`);
  t.ok(long.length < 600, 'a long path is cut');
  t.match(long, /…\(5018 characters\)\?limit=1$/);
});

t.test('error codes stay readable', async (t) => {
  const { logger, lines } = capture();
  const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  logger.error({ err }, 'failed');
  t.match(lines()[0], { err: { code: 'ECONNREFUSED' } });
});

t.test('the pretty format (the dev scripts) prints one coloured line per entry, redacted like JSON', async (t) => {
  // The pretty transport writes from a worker thread to fd 1: only a process of its own can be read.
  const script = `
    import { pino } from 'pino';
    import { loggerOptions } from ${JSON.stringify(new URL('./logger.ts', import.meta.url).href)};
    const logger = pino(loggerOptions('info', 'pretty'));
    logger.info({ password: 'hunter2hunter2', body: { code: '123456' }, req: { method: 'GET', url: '/v1/x?access_token=tok-1' } }, 'hello pretty');
    logger.info({ ok: true }, 'second line');`;
  const child = spawn(process.execPath, ['--import=tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: { ...process.env, FORCE_COLOR: '1' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (out += d.toString()));
  const code = await new Promise((resolve) => child.once('close', resolve));
  t.equal(code, 0, out);
  const lines = out.trimEnd().split('\n');
  t.equal(lines.length, 2, 'one line per entry');
  t.match(lines[0], `${String.fromCharCode(27)}[32mINFO`, 'coloured level (green)');
  t.match(lines[0], /hello pretty/);
  t.throws(() => JSON.parse(lines[0]!), 'not JSON');
  for (const secret of ['hunter2', '123456', 'tok-1']) t.notMatch(out, secret, `${secret} is not logged`);
  t.match(lines[0], /\[REDACTED\]/);
});
