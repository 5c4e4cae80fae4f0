// The AMQP side of a chaos run, on the broker's default vhost, scoped by the queue namespace and by
// the run's own processes (on a private broker node where rabbitmqctl cannot manage the given one). A vhost per run was tried first and dropped: on RabbitMQ 3.10, adding and
// deleting vhosts (with quorum queues) while other runs did the same left the broker's vhost
// supervisor stuck and every new AMQP connection of the machine hanging in its handshake.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { namespaceQueueNames } from '@ashchat/contracts';
import { createAmqpConnection, createSilentLogger } from '@ashchat/messaging';
import type { RabbitControl } from '@ashchat/testkit';

const run = promisify(execFile);

export interface RunAmqp {
  uri: string;
  /** Why the broker-side connection fault cannot run here (no rabbitmqctl for this broker, or no ss); undefined when it can. */
  faultUnavailable: string | undefined;
  /**
   * Closes, from the broker side, every AMQP connection opened by one of `pids` (matched by the
   * client's TCP port): no other connection on the broker is touched. Resolves with how many.
   */
  closeConnectionsOf(pids: readonly number[], reason: string): Promise<number>;
  /**
   * Messages per queue of this run's namespace: ready + unacknowledged from rabbitmqctl; without it,
   * ready only (a passive declare of every contract queue and its dead-letter queue).
   */
  queueDepths(): Promise<Map<string, number>>;
  /** Deletes this run's queues (the namespace's, dead-letter queues included). */
  removeQueues(): Promise<void>;
}

/** Local TCP ports of connections to `brokerPort` per owning pid, from `ss -tnpH` output. */
export function portsByPid(ssOutput: string, brokerPort: number): Map<number, number> {
  const owner = new Map<number, number>();
  for (const line of ssOutput.split('\n')) {
    const cols = line.trim().split(/\s+/);
    const local = cols.find((c, i) => i > 0 && /:\d+$/.test(c));
    const peer = cols[cols.indexOf(local ?? '') + 1];
    if (!local || !peer?.endsWith(`:${brokerPort}`)) continue;
    for (const m of line.matchAll(/pid=(\d+)/g)) owner.set(Number(local.slice(local.lastIndexOf(':') + 1)), Number(m[1]));
  }
  return owner;
}

/** Broker connection pids whose client port is in `ports`, from `rabbitmqctl list_connections pid peer_port` output. */
export function connectionsOnPorts(listOutput: string, ports: ReadonlySet<number>): string[] {
  return listOutput
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, port]) => pid?.startsWith('<') && ports.has(Number(port)))
    .map(([pid]) => pid!);
}

/** An Erlang expression closing the broker connections `pids` (as `list_connections pid` prints them) with `reason`. */
export function closeConnectionsExpression(pids: readonly string[], reason: string): string {
  const erlangString = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return `[rabbit_networking:close_connection(rabbit_misc:string_to_pid(P), ${erlangString(reason)}) || P <- [${pids.map(erlangString).join(', ')}]].`;
}

/** The contract queues of a namespace with their dead-letter queues: what a run can create. */
export const contractQueuesOf = namespaceQueueNames;

/**
 * The run's side of the broker. rabbitmqctl (`control`, from testkit's `rabbitControl`) and ss are
 * needed only for the connection fault and the exact depths: without them (a broker on another host,
 * a rabbitmqctl that cannot reach it) the fault is skipped and said so, and depths and clean-up go
 * through AMQP with the contract's queue names.
 */
export async function runAmqp(amqpUri: string, namespace: string, control: RabbitControl | { unavailable: string }): Promise<RunAmqp> {
  const broker = new URL(amqpUri);
  const brokerPort = Number(broker.port || 5672);
  const vhost = decodeURIComponent(broker.pathname.slice(1)) || '/';
  const ours = (queue: string) => queue.startsWith(`${namespace}.`);
  let faultUnavailable: string | undefined;
  if ('unavailable' in control) faultUnavailable = `the AMQP fault needs rabbitmqctl: ${control.unavailable}`;
  else {
    const ss = await run('ss', ['-V'], { timeout: 10_000 }).then(() => undefined, (err: Error) => firstLine(err.message));
    if (ss !== undefined) faultUnavailable = `the AMQP fault needs ss (${ss})`;
  }
  const ctl = (...args: string[]): Promise<string> => {
    if ('unavailable' in control) throw new Error(control.unavailable);
    return control.ctl(...args);
  };
  const withConnection = async <T>(role: string, use: (conn: ReturnType<typeof createAmqpConnection>) => Promise<T>): Promise<T> => {
    const conn = createAmqpConnection({ uri: amqpUri, name: `chaos-${role}.${namespace}`, logger: createSilentLogger() });
    try {
      return await use(conn);
    } finally {
      await conn.close();
    }
  };
  const queueDepths = async (): Promise<Map<string, number>> => {
    const depths = new Map<string, number>();
    if (faultUnavailable === undefined) {
      const stdout = await ctl('list_queues', '-p', vhost, 'name', 'messages', '--no-table-headers');
      for (const line of stdout.split('\n')) {
        const [queue, count] = line.trim().split(/\s+/);
        if (queue && ours(queue) && count !== undefined) depths.set(queue, Number(count));
      }
      return depths;
    }
    return withConnection('depths', async (conn) => {
      for (const queue of contractQueuesOf(namespace)) {
        // A passive declare of a missing queue closes its channel: one throw-away channel each.
        const ch = await conn.acquire();
        try {
          depths.set(queue, (await ch.queueDeclare({ queue, passive: true })).messageCount);
        } catch {
          // Not created by this run.
        } finally {
          await ch.close().catch(() => undefined);
        }
      }
      return depths;
    });
  };
  return {
    uri: amqpUri,
    faultUnavailable,
    async closeConnectionsOf(pids, reason) {
      if (faultUnavailable !== undefined) throw new Error(faultUnavailable);
      const { stdout: ss } = await run('ss', ['-tnpH', 'state', 'established', `( dport = :${brokerPort} )`], { timeout: 10_000 });
      const wanted = new Set(pids);
      const ports = new Set([...portsByPid(ss, brokerPort)].filter(([, pid]) => wanted.has(pid)).map(([port]) => port));
      if (ports.size === 0) return 0;
      const stdout = await ctl('list_connections', '-p', vhost, 'pid', 'peer_port', '--no-table-headers');
      const targets = connectionsOnPorts(stdout, ports);
      if (targets.length === 0) return 0;
      // All in one CLI start: each start of rabbitmqctl costs about a second of CPU, and one
      // `close_connection` after the other spread the fault over 10 s and more on a loaded machine
      // (which then counted as time to recover). Where `eval` is refused, the closes at once.
      await ctl('eval', closeConnectionsExpression(targets, reason)).catch(() =>
        Promise.all(targets.map((pid) => ctl('close_connection', pid, reason).catch(() => undefined))),
      );
      return targets.length;
    },
    queueDepths,
    async removeQueues() {
      const queues = [...(await queueDepths()).keys()];
      await withConnection('cleanup', async (conn) => {
        for (const queue of queues) await conn.queueDelete({ queue }).catch(() => undefined);
      });
    },
  };
}

const firstLine = (text: string): string => text.split('\n')[0]!.slice(0, 200);
