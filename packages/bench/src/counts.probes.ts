// Exact counts of what the services in this process send to their servers: MongoDB commands (the
// driver's command monitoring), Redis commands and AMQP publishes (a wrapper on the client
// libraries' one write path, installed once per process). Bench-only instrumentation: nothing in
// the services changes, and the numbers are not estimates.
import { Redis } from 'ioredis';
import type { MongoClient } from 'mongodb';
import type { createAmqpConnection } from '@ashchat/messaging';

/** Counts by process (backend, verifier), then by command or queue name. */
export type Breakdown = Record<string, Record<string, number>>;

export interface CountsSnapshot {
  /** MongoDB commands of the backend (the only process with a database client), by `command collection`. */
  db: Record<string, number>;
  /** The periodic saga sweeps in the same window (not part of `db`). */
  dbBackground: Record<string, number>;
  redis: Breakdown;
  amqp: Breakdown;
}

/** The driver's own traffic (handshakes, heartbeats, session clean-up): not caused by an operation. */
const DRIVER_OWN = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'saslStart', 'saslContinue', 'buildInfo', 'getLastError']);

/** Which service a connection belongs to, from the name it gives the server. */
export const processOf = (connectionName: string | null | undefined): string =>
  !connectionName ? 'unnamed' : connectionName.includes('verifier') ? 'verifier' : 'backend';

const bump = (b: Breakdown, proc: string, key: string): void => {
  const row = (b[proc] ??= {});
  row[key] = (row[key] ?? 0) + 1;
};

let dbTally: Record<string, number> = {};
let backgroundTally: Record<string, number> = {};
/**
 * The saga runtime's periodic sweeps (outbox relay, due deadlines) run every few seconds whatever
 * happens: kept apart, they are not caused by the operation measured.
 */
const isSweep = (filter: unknown): boolean =>
  typeof filter === 'object' && filter !== null && ('outboxPending' in filter || 'nextDeadline' in filter);
const monitored = new WeakSet<MongoClient>();
let redisTally: Breakdown = {};
let amqpTally: Breakdown = {};
let installed: Promise<void> | undefined;

interface CommandLike {
  name: string;
}
interface ChannelLike {
  _conn?: { _opt?: { connectionName?: string } };
  basicPublish(params: { routingKey?: string; exchange?: string }, body: unknown): Promise<void>;
}

/**
 * Redis: every command a client writes passes `Redis.prototype.sendCommand` (pipelines and
 * MULTI too, each command once); a command can pass twice (offline queue, resend after a
 * reconnect), so each is counted once. AMQP: every publish — publishers, RPC requests, replies —
 * is a `Channel.basicPublish` of rabbitmq-client; the Channel class is not exported, so its
 * prototype is taken from a channel of `amqp` (a connection of the bench's own).
 */
async function install(amqp: ReturnType<typeof createAmqpConnection>): Promise<void> {
  const seen = new WeakSet<object>();
  const proto = Redis.prototype as unknown as { sendCommand(this: Redis, command: CommandLike, ...rest: unknown[]): unknown };
  const sendCommand = proto.sendCommand;
  proto.sendCommand = function counted(this: Redis, command: CommandLike, ...rest: unknown[]) {
    if (!seen.has(command) && this.status !== 'end') {
      seen.add(command);
      bump(redisTally, processOf(this.options.connectionName), command.name.toLowerCase());
    }
    return sendCommand.call(this, command, ...rest);
  };

  const channel = (await amqp.acquire()) as unknown as ChannelLike & { close(): Promise<void> };
  const chProto = Object.getPrototypeOf(channel) as ChannelLike;
  await channel.close();
  const basicPublish = chProto.basicPublish;
  chProto.basicPublish = function counted(this: ChannelLike, params, body) {
    const queue = params.exchange ? `exchange:${params.exchange}` : (params.routingKey ?? '?');
    bump(amqpTally, processOf(this._conn?._opt?.connectionName), queue);
    return basicPublish.call(this, params, body);
  };
}

export interface CountProbes {
  /** Counts since the last take() (or since watch()), then starts over. */
  take(): CountsSnapshot;
  /** Total count so far, to see when the traffic an operation caused has died down. */
  pending(): number;
}

/**
 * Counts from now on. `mongo` must have been created with `monitorCommands=true`
 * (mongo.profile.ts: withCommandMonitoring). One probe at a time per process.
 */
export async function watch(amqp: ReturnType<typeof createAmqpConnection>, mongo: MongoClient): Promise<CountProbes> {
  installed ??= install(amqp);
  await installed;
  if (!monitored.has(mongo)) {
    monitored.add(mongo);
    // Started, not succeeded: the started event carries the command, hence its collection.
    mongo.on('commandStarted', (e) => {
      if (DRIVER_OWN.has(e.commandName)) return;
      const target: unknown = e.commandName === 'getMore' ? e.command.collection : e.command[e.commandName];
      const key = typeof target === 'string' ? `${e.commandName} ${target}` : e.commandName;
      const tally = isSweep(e.command.filter) ? backgroundTally : dbTally;
      tally[key] = (tally[key] ?? 0) + 1;
    });
  }
  dbTally = {};
  backgroundTally = {};
  redisTally = {};
  amqpTally = {};
  const total = (b: Breakdown): number => Object.values(b).reduce((s, row) => s + sum(row), 0);
  return {
    take() {
      const out = { db: dbTally, dbBackground: backgroundTally, redis: redisTally, amqp: amqpTally };
      dbTally = {};
      backgroundTally = {};
      redisTally = {};
      amqpTally = {};
      return out;
    },
    pending() {
      return sum(dbTally) + total(redisTally) + total(amqpTally);
    },
  };
}

export const sum = (row: Record<string, number>): number => Object.values(row).reduce((s, n) => s + n, 0);

/**
 * Resolves once no command or publish was counted for `quietMs` (bounded by `maxMs`): what an
 * operation sets off after its answer (a saga's last step, a timer's removal) belongs to it.
 */
export async function settle(probes: CountProbes, quietMs = 300, maxMs = 5_000): Promise<void> {
  const giveUp = Date.now() + maxMs;
  let last = probes.pending();
  let since = Date.now();
  while (Date.now() < giveUp) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const now = probes.pending();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}
