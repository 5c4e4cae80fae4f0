import { Writable } from 'node:stream';
import t from 'tap';
import { pino } from 'pino';
import { loggerOptions } from './logger.js';

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
    body: { email: 'a@b.c', password: 'hunter2hunter2', code: '123456' },
    code: '654321',
    token: 'tok-1',
    session: { refreshToken: 'rt-1', accessToken: 'at-1' },
  });
  const [line] = lines();
  const text = JSON.stringify(line);
  for (const secret of ['abc.def', 's3cr3t', 'hunter2', '123456', '654321', 'tok-1', 'rt-1', 'at-1']) {
    t.notMatch(text, secret, `${secret} is not logged`);
  }
  t.match(line, { req: { method: 'POST', headers: { host: 'h', authorization: '[REDACTED]' } }, body: { email: 'a@b.c' } });
});

t.test('error codes stay readable', async (t) => {
  const { logger, lines } = capture();
  const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  logger.error({ err }, 'failed');
  t.match(lines()[0], { err: { code: 'ECONNREFUSED' } });
});
