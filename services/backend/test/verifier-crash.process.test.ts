// Process-level acceptance test of the registration saga's durability: the verifier is a real
// child process (its main.ts, as deployed), killed with SIGKILL between "registered" and "code
// sent". The request must wait in its durable queue and the saga complete once a new verifier runs.
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { ACCOUNT_CREATION_QUEUE, CONFIRM_EMAIL_CODE_QUEUE, REGISTRATION_REPLY_QUEUE } from '@ashchat/contracts';
import { createAmqpConnection, createSilentLogger, deadLetterQueueFor } from '@ashchat/messaging';
import { getInfra, startSmtpSink, testSecret, uniqueName, waitFor, type SmtpSink } from '@ashchat/testkit';
import { buildTestApp } from '../src/app.test-support.js';
import { startEntry, within, type RunningEntry } from '@ashchat/testkit';

// The verifier's sources, found through the workspace package (tests run with `ashchat-source`).
const verifierMain = fileURLToPath(new URL('./main.ts', import.meta.resolve('@ashchat/verifier')));

type Env = Record<string, string>;

/** Starts the verifier process and waits (bounded) until /ready says every dependency is up. */
async function startVerifier(env: Env, children: RunningEntry[]): Promise<RunningEntry> {
  const run = startEntry(verifierMain, env);
  children.push(run);
  const [, url] = await run.waitForOutput(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  await run.waitForOutput(/"msg":"worker started"/, 30_000);
  await waitFor(
    async () => {
      const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(5_000) });
      return res.status === 200;
    },
    { timeoutMs: 30_000, intervalMs: 100, message: 'the verifier to be ready' },
  );
  return run;
}

const mailsTo = (sink: SmtpSink, email: string) => sink.messages().filter((m) => m.To.some((a) => a.Address === email));

async function statusOf(app: FastifyInstance, id: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: `/v1/registrations/${id}` });
  return (res.json() as { status: string }).status;
}

t.test('a verifier killed before sending the code: the request waits in its queue, the saga completes after a restart', async (t) => {
  const infra = await getInfra();
  const namespace = uniqueName('test-crash');
  const secret = testSecret();
  const children: RunningEntry[] = [];
  // Every child dies at the end, whatever happened (SIGKILL on an exited process is a no-op).
  t.teardown(() => children.forEach((c) => c.child.kill('SIGKILL')));
  const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  t.teardown(() => sink.close());

  const amqp = createAmqpConnection({ uri: infra.amqpUri, name: `test.${namespace}`, logger: createSilentLogger() });
  t.teardown(async () => {
    for (const queue of [ACCOUNT_CREATION_QUEUE, CONFIRM_EMAIL_CODE_QUEUE, REGISTRATION_REPLY_QUEUE].map((q) => `${namespace}.${q}`)) {
      await amqp.queueDelete({ queue }).catch(() => undefined);
      await amqp.queueDelete({ queue: deadLetterQueueFor(queue) }).catch(() => undefined);
    }
    await amqp.close();
  });
  const requestQueue = `${namespace}.${ACCOUNT_CREATION_QUEUE}`;
  const depth = async (): Promise<number> => (await amqp.queueDeclare({ queue: requestQueue, passive: true })).messageCount;

  const verifierEnv: Env = {
    AMQP_URI: infra.amqpUri,
    REDIS_URI: infra.redisUri,
    SMTP_URI: sink.smtpUri,
    VERIFICATION_CODE_SECRET: secret,
    QUEUE_NAMESPACE: namespace,
    VERIFIER_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
  const first = await startVerifier(verifierEnv, children);
  first.child.kill('SIGKILL');
  t.equal(await within(first.exited, 15_000, 'the killed verifier to exit'), 'SIGKILL');

  const app = await buildTestApp(t, {
    env: { VERIFICATION_CODE_SECRET: secret, QUEUE_NAMESPACE: namespace, REGISTRATION_CODE_TTL_MS: '120000' },
  });
  const email = `${uniqueName('crash')}@example.org`;
  const created = await app.inject({
    method: 'POST',
    url: '/v1/registrations',
    payload: { email, password: 'correct horse battery', nickname: 'crash', preferredLanguage: 'en' },
  });
  t.equal(created.statusCode, 202, created.body);
  const id = (created.json() as { registrationId: string }).registrationId;

  await waitFor(async () => (await depth()) >= 1, { timeoutMs: 15_000, message: 'the request in the durable queue' }).catch(
    async (error: Error) => {
      // Say where the request is instead: a failed publish, a wrong queue, a saga that moved on.
      const saga = await app.mongo.db.collection<{ _id: string }>('registrations').findOne({ _id: id }, { projection: { state: 1, outbox: 1, version: 1 } });
      throw new Error(`${error.message}; saga: ${JSON.stringify(saga)}`, { cause: error });
    },
  );
  t.ok((await depth()) >= 1, 'the request waits in the durable queue');
  t.equal(await statusOf(app, id), 'pending', 'no verifier, no code: still pending');
  t.equal(mailsTo(sink, email).length, 0, 'no mail yet');

  await startVerifier(verifierEnv, children);
  const mail = await waitFor(() => mailsTo(sink, email)[0], { timeoutMs: 30_000, message: `a mail to ${email}` });
  const code = /^ {4}(\d{6})\s*$/m.exec(mail.Text)?.[1];
  t.ok(code, 'the mail carries a code');
  await waitFor(async () => (await statusOf(app, id)) === 'awaiting-code', { timeoutMs: 15_000, message: 'awaiting-code' });

  const verified = await app.inject({ method: 'POST', url: `/v1/registrations/${id}/verification`, payload: { code } });
  t.equal(verified.statusCode, 200, verified.body);
  t.equal((verified.json() as { status: string }).status, 'completed');
  t.equal(await app.mongo.db.collection('users').countDocuments({ emailNormalized: email }), 1, 'exactly one user');
  t.equal(mailsTo(sink, email).length, 1, 'exactly one mail');
  t.equal(await depth(), 0, 'the queue is drained');
});
