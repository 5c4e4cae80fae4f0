import t from 'tap';
import { ACCOUNT_CREATION_QUEUE, namespacedQueue } from '@ashchat/contracts';
import { createAmqpConnection, createSilentLogger } from '@ashchat/messaging';
import { getInfra, manageableBroker, rabbitControl, uniqueName } from '@ashchat/testkit';
import { closeConnectionsExpression, connectionsOnPorts, portsByPid, runAmqp } from './chaos.rabbit.js';

t.test('client ports of broker connections, by owning process', async (t) => {
  const ss = [
    '0      0      127.0.0.1:52294 127.0.0.1:5672 users:(("node",pid=123,fd=20))',
    '0      0      127.0.0.1:52302 127.0.0.1:5672 users:(("node",pid=456,fd=21))',
    '0      0      127.0.0.1:40000 127.0.0.1:6379 users:(("node",pid=123,fd=22))',
    '0      0      [::1]:52400 [::1]:5672 users:(("node",pid=789,fd=9))',
    '',
  ].join('\n');
  t.same([...portsByPid(ss, 5672)], [[52294, 123], [52302, 456], [52400, 789]]);
});

t.test('only the broker connections on our ports are picked', async (t) => {
  const list = ['<rabbit@localhost.1796533926.16584.11>\t52294', '<rabbit@localhost.1796533926.16624.11>\t52302', 'garbage', ''].join('\n');
  t.same(connectionsOnPorts(list, new Set([52294])), ['<rabbit@localhost.1796533926.16584.11>']);
  t.same(connectionsOnPorts(list, new Set()), []);
});

t.test('one rabbitmqctl eval closes all the connections; quotes and backslashes in the reason are escaped', async (t) => {
  t.equal(
    closeConnectionsExpression(['<rabbit@localhost.1.2.3>', '<rabbit@localhost.1.2.4>'], 'chaos: "AMQP" \\ fault'),
    '[rabbit_networking:close_connection(rabbit_misc:string_to_pid(P), "chaos: \\"AMQP\\" \\\\ fault") || P <- ["<rabbit@localhost.1.2.3>", "<rabbit@localhost.1.2.4>"]].',
  );
});

t.test('a broker on another host: the connection fault is unavailable, with the reason', async (t) => {
  const uri = 'amqp://guest:guest@broker.example:5672';
  const amqp = await runAmqp(uri, 'chaos-remote', await rabbitControl(uri));
  t.match(amqp.faultUnavailable, /needs rabbitmqctl: .*needs a local broker.*broker\.example/);
  await t.rejects(amqp.closeConnectionsOf([process.pid], 'test'), /needs a local broker/);
});

t.test('without rabbitmqctl: the fault is unavailable, depths and clean-up go through AMQP', async (t) => {
  const infra = await getInfra();
  const namespace = uniqueName('chaos-noctl');
  const amqp = await runAmqp(infra.amqpUri, namespace, await rabbitControl(infra.amqpUri, { bin: '/nonexistent/rabbitmqctl' }));
  t.match(amqp.faultUnavailable, /needs rabbitmqctl: rabbitmqctl cannot reach its broker/);
  const queue = namespacedQueue(namespace, ACCOUNT_CREATION_QUEUE);
  const conn = createAmqpConnection({ uri: infra.amqpUri, name: `test.${namespace}`, logger: createSilentLogger() });
  t.teardown(async () => {
    await conn.queueDelete({ queue }).catch(() => undefined);
    await conn.close();
  });
  await conn.queueDeclare({ queue, durable: false });
  const publisher = conn.createPublisher({ confirm: true });
  await publisher.send({ routingKey: queue }, 'one');
  await publisher.send({ routingKey: queue }, 'two');
  await publisher.close();
  const depths = await amqp.queueDepths();
  t.same([...depths], [[queue, 2]], 'only the queue this namespace created, with its ready messages');
  await amqp.removeQueues();
  t.same([...(await amqp.queueDepths())], [], 'removed');
});

t.test('a broker that rabbitmqctl manages (the machine\'s, else a private node): the fault closes this process\'s connections only', async (t) => {
  const broker = await manageableBroker((await getInfra()).amqpUri);
  if (broker.privateBecause) t.comment(`a private broker node: ${broker.privateBecause}`);
  const namespace = uniqueName('chaos-ctl');
  const amqp = await runAmqp(broker.amqpUri, namespace, broker);
  const conn = createAmqpConnection({ uri: broker.amqpUri, name: `test.${namespace}`, logger: createSilentLogger() });
  t.teardown(async () => {
    await conn.close();
    await broker.stop();
  });
  t.equal(amqp.faultUnavailable, undefined, 'the fault is available');
  await conn.onConnect(10_000);
  const forced = new Promise<unknown>((resolve) => conn.once('error', resolve));
  t.equal(await amqp.closeConnectionsOf([process.pid + 1_000_000], 'chaos test'), 0, 'no connection of another process');
  t.ok((await amqp.closeConnectionsOf([process.pid], 'chaos test')) >= 1, 'this process\'s connection is closed');
  t.match(await forced, { code: 'CONNECTION_FORCED' }, 'by the broker');

  // The one-call close itself (closeConnectionsOf falls back to one close_connection each where eval is refused).
  await conn.onConnect(15_000);
  const listed = await broker.ctl('list_connections', 'pid', 'client_properties', '--no-table-headers');
  const pid = listed.split('\n').find((l) => l.includes(`"test.${namespace}"`))?.split('\t')[0];
  t.ok(pid, 'reconnected, and listed again');
  const again = new Promise<unknown>((resolve) => conn.once('error', resolve));
  await broker.ctl('eval', closeConnectionsExpression([pid!], 'chaos test: eval'));
  t.match(await again, { code: 'CONNECTION_FORCED' }, 'rabbitmqctl eval closed it');
});
