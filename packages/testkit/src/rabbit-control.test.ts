import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { Connection } from 'rabbitmq-client';
import { foreignCookieRabbitmqctl, getInfra, manageableBroker, rabbitControl, waitFor } from './index.js';

t.test('a broker on another host: no rabbitmqctl, with the reason', async (t) => {
  const control = await rabbitControl('amqp://guest:guest@broker.example:5672');
  t.match(control, { unavailable: /needs a local broker.*broker\.example/ });
});

t.test('a rabbitmqctl whose cookie is not the broker\'s (as on some CI runners): a private node instead, which it closes connections on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ashchat-ctl-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bin = foreignCookieRabbitmqctl(join(dir, 'home'));
  if (!bin) throw new Error('rabbitmqctl is not installed (the resolver needs RabbitMQ here)');
  const { amqpUri } = await getInfra();

  const given = await rabbitControl(amqpUri, { bin, node: '' });
  t.match(given, { unavailable: /rabbitmqctl cannot reach its broker \(.+\)/ }, 'unavailable, with rabbitmqctl\'s own first line');

  const broker = await manageableBroker(amqpUri, { bin, node: '' });
  const name = `rabbit-control-test.${process.pid}`;
  const conn = new Connection({ url: broker.amqpUri, connectionName: name, retryLow: 50, retryHigh: 200 });
  t.teardown(async () => {
    await conn.close();
    await broker.stop();
  });
  t.match(broker.privateBecause, /cannot reach its broker/, 'says why it is a private node');
  t.not(broker.amqpUri, amqpUri, 'another broker than the given one');

  const errors: { code?: string }[] = [];
  let connects = 0;
  conn.on('error', (err) => void errors.push(err as { code?: string }));
  conn.on('connection', () => void (connects += 1));
  await conn.onConnect(10_000);
  const listed = await broker.ctl('list_connections', 'pid', 'client_properties', '--no-table-headers');
  const pid = listed.split('\n').find((l) => l.includes(`"${name}"`))?.split('\t')[0];
  t.ok(pid, 'rabbitmqctl lists our connection on the private node');
  await broker.ctl('close_connection', pid!, 'rabbit-control test');
  await waitFor(() => errors.length > 0 && connects >= 2, { timeoutMs: 15_000, message: 'the forced close and the reconnect' });
  t.match(errors[0], { code: 'CONNECTION_FORCED' }, 'the private broker closed it, and the client came back');
});
