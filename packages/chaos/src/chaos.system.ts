// The system under test as separate processes on the real infrastructure: two backends, the
// verifier and the translator, with this run's own database, queue namespace,
// Redis database, SMTP sink and — where it can — its own MongoDB-protocol server.
import { mkdirSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { closedPort, manageableBroker, startSmtpSink, testSecret, type SmtpSink } from '@ashchat/testkit';
import { startOwnFerretdb, type OwnFerretdb } from './chaos.ferretdb.js';
import { managedProcess, type ManagedProcess } from './chaos.process.js';
import { createProbe, type Probe } from './chaos.probe.js';
import { runAmqp, type RunAmqp } from './chaos.rabbit.js';
import { claimRunRedis, type RunRedis } from './chaos.redis.js';
import { serviceSpecs } from './chaos.services.js';
import type { FaultKind } from './chaos.schedule.js';

export interface SystemOptions {
  runId: string;
  repoRoot: string;
  workDir: string;
  infra: { mongodbUri: string; amqpUri: string; redisUri: string; translationUrl: string; translationProvider: string };
  postgresUrl: string;
  cacheDir: string;
  /** Passed through to every child process (PATH, HOME, TMPDIR). */
  inherited: Record<string, string>;
  log: (line: string) => void;
  /** Called at once with the clean-up, so a Ctrl-C during start-up can still undo what was done. */
  onCleanup?: (close: () => Promise<void>) => void;
}

export interface ChaosSystem {
  backends: readonly string[];
  /** Names of the service processes (backend-1, backend-2, verifier, translator). */
  services: readonly string[];
  mongodbUri: string;
  mongodbDb: string;
  amqpUri: string;
  queueNamespace: string;
  redisUri: string;
  sink: SmtpSink;
  /** E.g. "FerretDB v1.24.2 on PostgreSQL (owned by the run)". */
  dbServer: string;
  /** E.g. "RabbitMQ at 127.0.0.1:5672 (shared)". */
  brokerServer: string;
  /** The faults that cannot run here, each with why (said in the report, never skipped silently). */
  unavailableFaults: Partial<Record<FaultKind, string>>;
  kill(name: string): Promise<void>;
  start(name: string): void;
  stopDb(): Promise<void>;
  startDb(): Promise<void>;
  closeAmqpConnections(): Promise<number>;
  killRedisClients(): Promise<number>;
  /** Messages ready or unacknowledged in the run's work queues (dead-letter queues excluded). */
  queuedMessages(): Promise<number>;
  /** Names of the processes whose /ready does not answer 200 right now. */
  notReady(): Promise<string[]>;
  /** Empty when every /ready is 200 and the probe's authenticated GET succeeds through every backend; else what is not. */
  problems(): Promise<string[]>;
  healthy(): Promise<boolean>;
  unexpectedExits(): string[];
  close(): Promise<void>;
}

async function describeServer(uri: string): Promise<{ ferretdb: boolean; text: string }> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000, directConnection: !/replicaSet=|\+srv/.test(uri) });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return typeof info.ferretdbVersion === 'string'
      ? { ferretdb: true, text: `FerretDB ${info.ferretdbVersion}` }
      : { ferretdb: false, text: `MongoDB ${String(info.version)}` };
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function getStatus(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

export async function startSystem(o: SystemOptions): Promise<ChaosSystem> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const step of closers.splice(0).reverse()) await step().catch((err: Error) => o.log(`chaos: cleanup step failed: ${err.message}`));
  };
  o.onCleanup?.(close);
  try {
    mkdirSync(o.workDir, { recursive: true });
    const namespace = `chaos-${o.runId}`;
    const mongodbDb = `chaos_${o.runId}`;
    const sink = await startSmtpSink({ smtpPort: 0, httpPort: 0, maxMessages: 100_000 });
    closers.push(() => sink.close());
    const redis: RunRedis = await claimRunRedis(o.infra.redisUri, namespace);
    closers.push(() => redis.release());
    // The connection fault needs a broker that rabbitmqctl manages: the given one, else a private node of the
    // run's own (as with the database below), e.g. where rabbitmqctl's Erlang cookie is not the broker's.
    const managed = await manageableBroker(o.infra.amqpUri).catch((err: Error) => ({ unavailable: err.message }));
    if ('stop' in managed) closers.push(() => managed.stop());
    const brokerServer = 'unavailable' in managed ? `RabbitMQ at ${new URL(o.infra.amqpUri).host} (shared)`
      : managed.privateBecause ? `a private RabbitMQ node (owned by the run; ${managed.privateBecause})` : `RabbitMQ at ${new URL(managed.amqpUri).host} (shared)`;
    const amqp: RunAmqp = await runAmqp('unavailable' in managed ? o.infra.amqpUri : managed.amqpUri, namespace, managed);
    // Deleted last, once no process of the run uses them any more.
    closers.push(() => amqp.removeQueues());

    // The DB fault needs a server this run may stop: our own FerretDB. A real MongoDB given by the
    // environment is used as it is, and the fault is skipped (said in the report, never silently).
    const given = await describeServer(o.infra.mongodbUri);
    let own: OwnFerretdb | undefined;
    let dbFaultUnavailable: string | undefined;
    if (given.ferretdb) {
      own = await startOwnFerretdb({ port: await closedPort(), postgresUrl: o.postgresUrl, cacheDir: o.cacheDir, workDir: o.workDir, log: o.log, inherited: o.inherited }).catch((err: Error) => {
        dbFaultUnavailable = `could not start a FerretDB of its own (${err.message})`;
        return undefined;
      });
      if (own === undefined) dbFaultUnavailable ??= 'no FerretDB binary to start one of its own';
    } else {
      dbFaultUnavailable = `MONGODB_URI names ${given.text}, which the run does not own`;
    }
    if (own) closers.push(() => own.close());
    const mongodbUri = own?.uri ?? o.infra.mongodbUri;
    const dbServer = own ? `${(await describeServer(own.uri)).text} on PostgreSQL (owned by the run)` : `${given.text} (shared)`;
    if (!own) {
      closers.push(async () => {
        const client = new MongoClient(mongodbUri, { serverSelectionTimeoutMS: 5_000 });
        await client.db(mongodbDb).dropDatabase().finally(() => client.close());
      });
    }

    const ports = { backends: [await closedPort(), await closedPort()], verifier: await closedPort(), translator: await closedPort() };
    const specs = serviceSpecs(
      {
        repoRoot: o.repoRoot,
        workDir: o.workDir,
        mongodbUri,
        mongodbDb,
        amqpUri: amqp.uri,
        redisUri: redis.uri,
        smtpUri: sink.smtpUri,
        translationUrl: o.infra.translationUrl,
        translationProvider: o.infra.translationProvider,
        queueNamespace: namespace,
        verificationCodeSecret: testSecret(),
        jwtSecret: testSecret(),
        inherited: o.inherited,
      },
      ports,
    );
    const processes = new Map<string, ManagedProcess>(specs.map((s) => [s.name, managedProcess(s)]));
    const readyUrls = new Map<string, string>([
      ...ports.backends.map((p, i) => [`backend-${i + 1}`, `http://127.0.0.1:${p}/ready`] as const),
      ['verifier', `http://127.0.0.1:${ports.verifier}/ready`],
      ['translator', `http://127.0.0.1:${ports.translator}/ready`],
    ]);
    const backends = ports.backends.map((p) => `http://127.0.0.1:${p}`);
    closers.push(() => Promise.all([...processes.values()].map((p) => p.stop(10_000))));
    for (const p of processes.values()) p.start();

    const proc = (name: string): ManagedProcess => {
      const p = processes.get(name);
      if (!p) throw new Error(`no process ${name}`);
      return p;
    };
    const notReady = async (): Promise<string[]> => {
      const answers = await Promise.all([...readyUrls].map(async ([name, url]) => [name, await getStatus(url)] as const));
      return answers.filter(([, status]) => status !== 200).map(([name]) => name);
    };
    const deadline = Date.now() + 90_000;
    for (let pending = await notReady(); pending.length > 0; pending = await notReady()) {
      const crashed = [...processes.values()].flatMap((p) => p.unexpectedExits());
      if (crashed.length > 0) throw new Error(`${crashed.join('; ')} (logs in ${o.workDir})`);
      if (Date.now() > deadline) throw new Error(`not ready within 90 s: ${pending.join(', ')} (logs in ${o.workDir})`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const probe: Probe = await createProbe(backends[0]!, sink, o.runId);
    const problems = async (): Promise<string[]> => {
      const pending = (await notReady()).map((name) => `${name} /ready`);
      if (pending.length > 0) return pending;
      const probes = await Promise.all(backends.map((b) => probe.ok(b)));
      return probes.flatMap((ok, i) => (ok ? [] : [`probe via backend-${i + 1}`]));
    };

    return {
      backends,
      services: [...processes.keys()],
      mongodbUri,
      mongodbDb,
      amqpUri: amqp.uri,
      queueNamespace: namespace,
      redisUri: redis.uri,
      sink,
      dbServer,
      brokerServer,
      unavailableFaults: {
        ...(dbFaultUnavailable === undefined ? {} : { 'db-stop': dbFaultUnavailable }),
        ...(amqp.faultUnavailable === undefined ? {} : { 'amqp-close': amqp.faultUnavailable }),
      },
      kill: (name) => proc(name).kill(),
      start: (name) => proc(name).start(),
      async stopDb() {
        if (!own) throw new Error(`DB fault unavailable: ${dbFaultUnavailable}`);
        await own.process.kill();
      },
      async startDb() {
        if (!own) throw new Error(`DB fault unavailable: ${dbFaultUnavailable}`);
        own.process.start();
        await own.waitUntilUp(30_000);
      },
      closeAmqpConnections: () =>
        amqp.closeConnectionsOf(
          [...processes.values()].flatMap((p) => p.pid() ?? []),
          'chaos: AMQP fault',
        ),
      killRedisClients: () => redis.killClients(),
      async queuedMessages() {
        const depths = await amqp.queueDepths();
        return [...depths].filter(([queue]) => !queue.endsWith('.dead-letter')).reduce((sum, [, n]) => sum + n, 0);
      },
      notReady,
      problems,
      async healthy() {
        return (await problems()).length === 0;
      },
      unexpectedExits: () => [...processes.values(), ...(own ? [own.process] : [])].flatMap((p) => p.unexpectedExits()),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
