// rabbitmqctl for what needs a broker-side close (reconnect tests, the chaos run's connection fault).
// rabbitmqctl reaches a node through epmd with the Erlang cookie of the user who runs it, so next to
// AMQP_URI's broker it may manage another node, or none at all: a CI runner whose cookie is not the
// broker's gets "CLI tool fails to authenticate with the server". So it is checked, never assumed,
// and where it cannot manage the given broker a private broker node of our own is started instead.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from 'rabbitmq-client';
import { tearDownOnExit } from './get-infra.js';
import { resolveInfra } from './infra.resolver.js';
import type { InfraLogger } from './infra.types.js';
import { findExecutable } from './process.util.js';

const run = promisify(execFile);
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export interface RabbitControl {
  amqpUri: string;
  /** `rabbitmqctl -q [-n node] …args` against this broker; resolves with its standard output. */
  ctl(...args: string[]): Promise<string>;
}

export interface RabbitControlOptions {
  /** rabbitmqctl to run (default ASHCHAT_RABBITMQCTL, else `rabbitmqctl` on PATH). */
  bin?: string;
  /** Erlang node (default ASHCHAT_RABBITMQ_NODE, set when the resolver started a broker; else rabbitmqctl's default). */
  node?: string;
}

// rabbitmqctl's first line, without its pointer to the diagnostics below it.
const firstLine = (text: string): string =>
  (text.split('\n').find((l) => l.trim() !== '' && !/^Error:?$/.test(l.trim())) ?? text)
    .replace(/\s*Please see diagnostics.*$/, '').trim().slice(0, 200);

/**
 * rabbitmqctl for `amqpUri`'s broker, or why there is none: the broker is not local, rabbitmqctl is
 * missing or cannot reach its node, or its node is another broker (a connection opened on `amqpUri`
 * under a marker name does not show in its list).
 */
export async function rabbitControl(amqpUri: string, o: RabbitControlOptions = {}): Promise<RabbitControl | { unavailable: string }> {
  const broker = new URL(amqpUri);
  if (!LOCAL_HOSTS.has(broker.hostname)) return { unavailable: `rabbitmqctl needs a local broker; AMQP_URI points at ${broker.hostname}` };
  const bin = o.bin ?? process.env.ASHCHAT_RABBITMQCTL ?? 'rabbitmqctl';
  const node = o.node ?? process.env.ASHCHAT_RABBITMQ_NODE;
  const vhost = decodeURIComponent(broker.pathname.slice(1)) || '/';
  const ctl = async (...args: string[]): Promise<string> =>
    (await run(bin, ['-q', ...(node ? ['-n', node] : []), ...args], { timeout: 30_000, killSignal: 'SIGKILL' })).stdout;
  const marker = `rabbit-control-marker.${randomUUID()}`;
  const conn = new Connection({ url: amqpUri, connectionName: marker, retryLow: 200, retryHigh: 1_000 });
  conn.on('error', () => undefined);
  try {
    await conn.onConnect(10_000);
    let listed: string;
    try {
      // The client-provided name is in the client properties (`name` is the connection's addresses).
      listed = await ctl('list_connections', '-p', vhost, 'client_properties', '--no-table-headers');
    } catch (err) {
      const e = err as Error & { stderr?: string; stdout?: string };
      return { unavailable: `rabbitmqctl cannot reach its broker (${firstLine(e.stderr || e.stdout || e.message)})` };
    }
    if (!listed.includes(`"${marker}"`)) {
      return { unavailable: `rabbitmqctl manages another broker than AMQP_URI's (${broker.host}): a connection opened there is not in its list` };
    }
    return { amqpUri, ctl };
  } finally {
    await conn.close().catch(() => undefined);
  }
}

export interface ManagedBroker extends RabbitControl {
  /** Why the given broker could not be used, when this is a private node started instead; else undefined. */
  privateBecause: string | undefined;
  /** Stops the private node (nothing for the given broker). */
  stop(): Promise<void>;
}

/**
 * A broker that rabbitmqctl manages: `amqpUri`'s when it can, else a private rabbitmq-server node
 * started on a free port (a few seconds). Fails, naming both reasons, when neither is possible.
 */
export async function manageableBroker(amqpUri: string, o: RabbitControlOptions & { logger?: InfraLogger } = {}): Promise<ManagedBroker> {
  const given = await rabbitControl(amqpUri, o);
  if (!('unavailable' in given)) return { ...given, privateBecause: undefined, stop: async () => undefined };
  const logger = o.logger ?? { info: () => undefined, warn: () => undefined };
  const resolved = await resolveInfra({ services: ['rabbitmq'], env: {}, ports: { rabbitmq: 0 }, docker: false, logger }).catch((err: Error) => {
    throw new Error(`no broker that rabbitmqctl manages: ${given.unavailable}; no private node either: ${err.message}`, { cause: err });
  });
  tearDownOnExit(resolved); // a test killed before stop() leaves no Erlang VM behind
  try {
    const own = await rabbitControl(resolved.infra.amqpUri, { bin: resolved.env.ASHCHAT_RABBITMQCTL, node: resolved.env.ASHCHAT_RABBITMQ_NODE });
    if ('unavailable' in own) throw new Error(own.unavailable);
    return { ...own, privateBecause: given.unavailable, stop: () => resolved.stop() };
  } catch (err) {
    await resolved.stop();
    throw new Error(`no broker that rabbitmqctl manages: ${given.unavailable}; a private node: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * A rabbitmqctl that runs with an Erlang cookie of its own (in `dir`), so it cannot authenticate to
 * any broker already running: what a CI runner whose cookie is not the broker's sees. For tests of
 * the fallbacks above; undefined where RabbitMQ is not installed.
 */
export function foreignCookieRabbitmqctl(dir: string): string | undefined {
  const found = findExecutable('rabbitmqctl', ['/usr/sbin', '/usr/local/sbin', '/opt/homebrew/sbin', '/usr/lib/rabbitmq/bin']);
  if (!found) return undefined;
  // Distro packages install a wrapper that switches to user rabbitmq (and its cookie): use the real script.
  const real = realpathSync(found);
  const script = basename(real) === 'rabbitmq-script-wrapper' ? join(dirname(real), 'rabbitmqctl') : real;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.erlang.cookie'), randomBytes(20).toString('hex').toUpperCase(), { mode: 0o400 });
  const wrapper = join(dir, 'rabbitmqctl');
  writeFileSync(wrapper, `#!/bin/sh\nHOME='${dir}' exec '${script}' "$@"\n`, { mode: 0o755 });
  return wrapper;
}
