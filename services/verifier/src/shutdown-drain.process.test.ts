// Process-level: SIGTERM while a request is in flight. The real entry point (main.ts) runs as a
// child process; its SMTP server is a real sink behind a gate this test opens, so "in flight" is a
// known state (the handler waits for the SMTP greeting), not a race.
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import {
  AccountCreationReply,
  AccountCreationRequest,
  ACCOUNT_CREATION_QUEUE,
  CONFIRM_EMAIL_CODE_QUEUE,
} from '@ashchat/contracts';
import { createAmqpConnection, createRequestClient, createSilentLogger, deadLetterQueueFor } from '@ashchat/messaging';
import { startSmtpSink, uniqueName } from '@ashchat/testkit';
import { testEnv } from './app.test-support.js';
import { startEntry, within } from '@ashchat/testkit';

const entry = fileURLToPath(new URL('./main.ts', import.meta.url));

interface SmtpGate {
  port: number;
  /** Resolves when the first client connection arrives (and is being held). */
  connected: Promise<void>;
  /** Lets held and later connections through to the real SMTP server. */
  open(): void;
  close(): Promise<void>;
}

/** A TCP proxy in front of `targetPort` that holds every connection until `open()`. */
async function startSmtpGate(targetPort: number): Promise<SmtpGate> {
  const held: Socket[] = [];
  const sockets = new Set<Socket>();
  let isOpen = false;
  let signalConnected!: () => void;
  const connected = new Promise<void>((resolve) => (signalConnected = resolve));
  const pass = (client: Socket): void => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.pause();
    if (isOpen) pass(client);
    else held.push(client);
    signalConnected();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('gate has no port');
  return {
    port: address.port,
    connected,
    open() {
      isOpen = true;
      for (const client of held.splice(0)) pass(client);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

t.test('SIGTERM drains the request in flight: its mail and reply go out, then exit 0', async (t) => {
  const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0 });
  t.teardown(() => sink.close());
  const gate = await startSmtpGate(sink.smtpPort);
  t.teardown(() => gate.close());
  const namespace = uniqueName('test-drain');
  const queue = `${namespace}.${ACCOUNT_CREATION_QUEUE}`;

  const env = await testEnv({
    VERIFIER_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    SMTP_URI: `smtp://127.0.0.1:${gate.port}`,
    QUEUE_NAMESPACE: namespace,
  });
  const run = startEntry(entry, env);
  t.teardown(() => run.child.kill('SIGKILL'));
  await run.waitForOutput(/"msg":"worker started"/, 60_000);

  const amqp = createAmqpConnection({ uri: env.AMQP_URI!, name: `test.${namespace}`, logger: createSilentLogger() });
  t.teardown(async () => {
    for (const q of [queue, `${namespace}.${CONFIRM_EMAIL_CODE_QUEUE}`]) {
      await amqp.queueDelete({ queue: q }).catch(() => undefined);
      await amqp.queueDelete({ queue: deadLetterQueueFor(q) }).catch(() => undefined);
    }
    await amqp.close();
  });
  const client = createRequestClient(amqp, { logger: createSilentLogger(), timeoutMs: 30_000 });
  t.teardown(() => client.close());

  const email = `${uniqueName('drain')}@example.org`;
  const request: AccountCreationRequest = {
    registrationId: randomUUID(),
    requestId: 'r1',
    email,
    nickname: 'drainer',
    preferredLanguage: 'en',
    accountExists: false,
    expiresAt: Date.now() + 60_000,
  };
  const reply = client.request(queue, AccountCreationRequest, request, AccountCreationReply);
  // The handler now waits for the SMTP greeting: the request is in flight, unacknowledged.
  await within(gate.connected, 15_000, 'the verifier connecting to SMTP');

  run.child.kill('SIGTERM');
  await run.waitForOutput(/"msg":"shutting down"/, 15_000);
  t.equal(run.child.exitCode, null, 'the process waits for the request in flight');
  gate.open();

  t.same(await within(reply, 30_000, 'the reply'), { registrationId: request.registrationId, requestId: 'r1', outcome: 'code-sent' });
  t.equal(await within(run.exited, 15_000, 'exit after SIGTERM'), 0, run.stderr());
  t.match(run.stdout(), /"msg":"shut down"/);
  t.notMatch(run.stdout(), /"level":50/, 'no error was logged');
  const mails = sink.messages().filter((m) => m.To.some((a) => a.Address === email));
  t.equal(mails.length, 1, 'exactly one mail was sent');
  const { messageCount } = await amqp.queueDeclare({ queue, passive: true });
  t.equal(messageCount, 0, 'the request was acknowledged, not put back');
});
