import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Connection } from 'rabbitmq-client';
import { launchServer, processService, startTarget } from './binary.launcher.js';
import type { ResolvedService } from './infra.types.js';
import { findExecutable, freePort, isTcpOpen } from './process.util.js';
import { binaryChoice, type ServiceContext } from './service.context.js';
import { runSteps, type ServiceSteps } from './service.steps.js';

/** AMQP handshake: a full connection open (protocol header, auth, tune, open) must succeed. */
export async function pingAmqp(uri: string, timeoutMs = 2_000): Promise<boolean> {
  const conn = new Connection({ url: uri, connectionTimeout: timeoutMs, retryLow: 100, retryHigh: 200, connectionName: 'ashchat-infra-probe' });
  conn.on('error', () => undefined);
  try {
    await conn.onConnect(timeoutMs, true);
    return true;
  } catch {
    return false;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Distro packages install a wrapper that re-runs the server as user `rabbitmq`; use the real script. */
function realServerScript(bin: string): string {
  const real = realpathSync(bin);
  if (basename(real) === 'rabbitmq-script-wrapper') {
    const sibling = join(dirname(real), 'rabbitmq-server');
    if (existsSync(sibling)) return sibling;
  }
  return bin;
}

function findEpmd(): string | undefined {
  return findExecutable('epmd', ['/usr/lib/erlang/bin', '/usr/local/lib/erlang/bin', '/opt/homebrew/bin']);
}

/** Erlang starts a shared epmd daemon on demand; stop it again if we caused it and nobody uses it. */
function stopEpmdIfUnused(): void {
  const epmd = findEpmd();
  if (!epmd) return;
  const names = spawnSync(epmd, ['-names'], { encoding: 'utf8', timeout: 5_000 });
  if (names.status === 0 && !/^name /m.test(names.stdout)) spawnSync(epmd, ['-kill'], { timeout: 5_000, stdio: 'ignore' });
}

async function startRabbitmqServer(ctx: ServiceContext, notes: string[]): Promise<ResolvedService | undefined> {
  const choice = binaryChoice(ctx.binaries.rabbitmqServer, ctx.env, 'ASHCHAT_RABBITMQ_SERVER_BIN');
  const found = choice === false ? undefined
    : choice || findExecutable('rabbitmq-server', ['/usr/lib/rabbitmq/bin', '/usr/local/sbin', '/usr/sbin', '/opt/homebrew/sbin']);
  if (!found) {
    notes.push(choice === false ? 'rabbitmq-server disabled by option' : 'no rabbitmq-server binary on PATH');
    return undefined;
  }
  const bin = realServerScript(found);
  const ctl = join(dirname(bin), 'rabbitmqctl');
  const target = await startTarget(ctx, 'rabbitmq');
  const node = `ashchat-${target.port}@localhost`;
  const d = target.dataDir;
  // Own config files so the machine-wide /etc/rabbitmq settings (listeners, node name) do not leak in.
  writeFileSync(join(d, 'rabbitmq.conf'), `listeners.tcp.1 = 127.0.0.1:${target.port}\nloopback_users.guest = true\n`);
  writeFileSync(join(d, 'enabled_plugins'), '[].\n');
  writeFileSync(join(d, 'rabbitmq-env.conf'), '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RABBITMQ_MNESIA_BASE: join(d, 'mnesia'),
    RABBITMQ_LOG_BASE: join(d, 'log'),
    RABBITMQ_LOGS: '-',
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(target.port),
    RABBITMQ_DIST_PORT: String(await freePort()),
    RABBITMQ_CONFIG_FILE: join(d, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(d, 'advanced.config'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(d, 'enabled_plugins'),
    RABBITMQ_CONF_ENV_FILE: join(d, 'rabbitmq-env.conf'),
  };
  const uri = `amqp://guest:guest@127.0.0.1:${target.port}`;
  const epmdWasRunning = await isTcpOpen(4369);
  ctx.logger.info(`rabbitmq: starting ${bin} as node ${node} on 127.0.0.1:${target.port} (data ${d})`);
  const proc = await launchServer({
    ctx,
    name: 'rabbitmq-server',
    command: bin,
    args: [],
    env,
    logFile: join(d, 'rabbitmq.log'),
    ready: () => pingAmqp(uri, 1_000),
    timeoutMs: 90_000,
  }).catch((err: unknown) => {
    if (!epmdWasRunning) stopEpmdIfUnused();
    throw err;
  });
  return processService({
    service: 'rabbitmq',
    uri,
    detail: `started rabbitmq-server node ${node} pid ${proc.pid}, data ${d}`,
    proc,
    target,
    extraEnv: { ASHCHAT_RABBITMQ_NODE: node, ASHCHAT_RABBITMQCTL: ctl },
    afterStop: async () => {
      if (!epmdWasRunning) stopEpmdIfUnused();
    },
  });
}

export async function resolveRabbitmq(ctx: ServiceContext): Promise<ResolvedService | undefined> {
  const steps: ServiceSteps = {
    service: 'rabbitmq',
    envName: 'AMQP_URI',
    localUri: (port) => `amqp://guest:guest@127.0.0.1:${port}`,
    probe: (uri) => pingAmqp(uri),
    startBinary: (notes) => startRabbitmqServer(ctx, notes),
    container: {
      image: 'rabbitmq:4-management',
      ports: [5672, 15672],
      uri: (host, port) => `amqp://guest:guest@${host}:${port(5672)}`,
      extraEnv: (host, port) => ({ ASHCHAT_RABBITMQ_MANAGEMENT_URL: `http://${host}:${port(15672)}` }),
    },
    installHelp: 'install RabbitMQ (apt install rabbitmq-server / brew install rabbitmq), start Docker, or set AMQP_URI.',
  };
  return runSteps(ctx, steps);
}
