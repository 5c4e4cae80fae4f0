import { spawnSync } from 'node:child_process';
import { findExecutable } from './process.util.js';

export interface CloseConnectionsOptions {
  /** Broker to act on (default AMQP_URI, else amqp://guest:guest@127.0.0.1:5672). */
  amqpUri?: string;
  /** Erlang node name for rabbitmqctl (default ASHCHAT_RABBITMQ_NODE, set when the resolver started one). */
  node?: string;
  rabbitmqctl?: string;
  /** Management API base URL (default ASHCHAT_RABBITMQ_MANAGEMENT_URL, else http://<amqp host>:15672). */
  managementUrl?: string;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function viaRabbitmqctl(reason: string, o: CloseConnectionsOptions, amqp: URL): string | undefined {
  const node = o.node ?? process.env.ASHCHAT_RABBITMQ_NODE;
  // rabbitmqctl only reaches local nodes; without a node name it targets the default broker (5672).
  if (!LOCAL_HOSTS.has(amqp.hostname) || (!node && (amqp.port || '5672') !== '5672')) return 'broker is not the local default node';
  const ctl = o.rabbitmqctl ?? process.env.ASHCHAT_RABBITMQCTL
    ?? findExecutable('rabbitmqctl', ['/usr/sbin', '/usr/local/sbin', '/opt/homebrew/sbin', '/usr/lib/rabbitmq/bin']);
  if (!ctl) return 'rabbitmqctl not found';
  const args = [...(node ? ['-n', node] : []), 'close_all_connections', reason];
  const res = spawnSync(ctl, args, { encoding: 'utf8', timeout: 30_000 });
  if (res.status === 0) return undefined;
  return `rabbitmqctl exited ${res.status}: ${(res.stderr || res.stdout || res.error?.message || '').trim().slice(0, 300)}`;
}

async function viaManagementApi(reason: string, o: CloseConnectionsOptions, amqp: URL): Promise<void> {
  const base = o.managementUrl ?? process.env.ASHCHAT_RABBITMQ_MANAGEMENT_URL ?? `http://${amqp.hostname}:15672`;
  const user = decodeURIComponent(amqp.username || 'guest');
  const pass = decodeURIComponent(amqp.password || 'guest');
  const headers = { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
  const api = (path: string) => new URL(path, base.endsWith('/') ? base : `${base}/`);
  const res = await fetch(api('api/connections'), { headers, signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${api('api/connections').toString()} answered ${res.status}`);
  const connections = (await res.json()) as { name: string }[];
  for (const c of connections) {
    const del = await fetch(api(`api/connections/${encodeURIComponent(c.name)}`), {
      method: 'DELETE',
      headers: { ...headers, 'x-reason': reason },
      signal: AbortSignal.timeout(10_000),
    });
    if (!del.ok && del.status !== 404) throw new Error(`closing connection ${c.name} answered ${del.status}`);
  }
}

/**
 * Server-side close of every AMQP connection on the broker (simulates a broker restart/network
 * cut for reconnect tests). Note: it hits the connections of every test running in parallel too.
 */
export async function closeAllRabbitConnections(reason = 'closed by test', o: CloseConnectionsOptions = {}): Promise<void> {
  const amqp = new URL(o.amqpUri ?? process.env.AMQP_URI ?? 'amqp://guest:guest@127.0.0.1:5672');
  const hasManagement = Boolean(o.managementUrl ?? process.env.ASHCHAT_RABBITMQ_MANAGEMENT_URL);
  const ctlProblem = hasManagement ? 'management API configured' : viaRabbitmqctl(reason, o, amqp);
  if (!ctlProblem) return;
  try {
    await viaManagementApi(reason, o, amqp);
  } catch (err) {
    throw new Error(`closeAllRabbitConnections failed: ${ctlProblem}; management API: ${(err as Error).message}`, { cause: err });
  }
}
