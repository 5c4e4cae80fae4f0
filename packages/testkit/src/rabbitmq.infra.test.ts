import t from 'tap';
import { Connection } from 'rabbitmq-client';
import { closeAllRabbitConnections, pingAmqp, resolveInfra, waitFor } from './index.js';
import { groupMembers, isPidAlive } from './process.util.js';
import { memoryLogger } from './test-support.js';

t.test('a private rabbitmq-server starts, connections can be closed server-side, and it stops', async (t) => {
  const resolved = await resolveInfra({ services: ['rabbitmq'], env: {}, ports: { rabbitmq: 0 }, docker: false, logger: memoryLogger() });
  t.teardown(() => resolved.stop());
  const [source] = resolved.sources;
  t.match(source, { kind: 'binary', detail: /node ashchat-\d+@localhost pid \d+/ });
  const pid = Number(/pid (\d+)/.exec(source!.detail)![1]);
  t.ok(resolved.env.ASHCHAT_RABBITMQ_NODE, 'exports the node name for rabbitmqctl');

  const conn = new Connection({ url: resolved.infra.amqpUri, retryLow: 50, retryHigh: 200 });
  const errors: unknown[] = [];
  let connects = 0;
  conn.on('error', (err) => void errors.push(err));
  conn.on('connection', () => void (connects += 1));
  t.teardown(() => conn.close());
  await conn.onConnect(10_000);
  await waitFor(() => connects === 1, { message: 'the first connection event' });

  await closeAllRabbitConnections('testkit test', {
    amqpUri: resolved.infra.amqpUri,
    node: resolved.env.ASHCHAT_RABBITMQ_NODE,
    rabbitmqctl: resolved.env.ASHCHAT_RABBITMQCTL,
  });
  await waitFor(() => errors.length > 0, { timeoutMs: 10_000, message: 'the server-side close' });
  t.match(errors[0], { code: 'CONNECTION_FORCED' }, 'the broker closed the connection');
  await waitFor(() => connects >= 2, { timeoutMs: 10_000, message: 'the client to reconnect' });
  t.pass('the client reconnected');
  await conn.close();

  t.equal(await pingAmqp('amqp://guest:wrong@' + new URL(resolved.infra.amqpUri).host, 1_000), false, 'bad credentials fail the handshake');
  await resolved.stop();
  t.notOk(isPidAlive(pid), 'rabbitmq-server is gone after stop()');
  t.same(groupMembers(pid), [], 'including the Erlang VM in its process group');
});
