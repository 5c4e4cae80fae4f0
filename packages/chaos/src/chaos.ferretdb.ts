// The run's own MongoDB-protocol server: a FerretDB on a free port with its own PostgreSQL database,
// so the DB fault can stop it and start it again on the same port without touching anyone else's.
import { join } from 'node:path';
import pg from 'pg';
import { ensureFerretdb, pingMongo } from '@ashchat/testkit';
import { managedProcess, type ManagedProcess } from './chaos.process.js';

export interface OwnFerretdb {
  uri: string;
  process: ManagedProcess;
  /** Resolves once the server answers `ping`; rejects after `timeoutMs`. */
  waitUntilUp(timeoutMs: number): Promise<void>;
  /** Stops the server and drops its PostgreSQL database. */
  close(): Promise<void>;
}

export interface OwnFerretdbOptions {
  port: number;
  postgresUrl: string;
  cacheDir: string;
  workDir: string;
  log: (line: string) => void;
  /** PATH (and the like) for the server process. */
  inherited: Record<string, string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Undefined when no ferretdb binary exists and none can be built (the caller says so and skips the DB fault). */
export async function startOwnFerretdb(o: OwnFerretdbOptions): Promise<OwnFerretdb | undefined> {
  const notes: string[] = [];
  const bin = await ensureFerretdb({ cacheDir: o.cacheDir, logger: { info: o.log, warn: o.log }, notes });
  if (bin === undefined) {
    o.log(`chaos: no FerretDB (${notes.join('; ')})`);
    return undefined;
  }
  // The port is in the name so a killed run's database is recognisable (and droppable) later.
  const database = `ashchat_chaos_${o.port}`;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: o.postgresUrl, connectionTimeoutMillis: 5_000 });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).then(() => c.query(`CREATE DATABASE ${database}`)));
  const url = new URL(o.postgresUrl);
  url.pathname = `/${database}`;
  url.searchParams.set('pool_max_conns', '20');
  const uri = `mongodb://127.0.0.1:${o.port}`;
  const proc = managedProcess({
    name: 'ferretdb',
    command: bin,
    args: [
      '--handler=postgresql',
      `--postgresql-url=${url.toString()}`,
      `--state-dir=${o.workDir}`,
      `--listen-addr=127.0.0.1:${o.port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    env: { ...o.inherited, HOME: o.workDir },
    logFile: join(o.workDir, 'ferretdb.log'),
  });
  const waitUntilUp = async (timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await pingMongo(uri, 500))) {
      if (!proc.running()) throw new Error('ferretdb exited during start-up (see its log in the run directory)');
      if (Date.now() > deadline) throw new Error(`ferretdb did not answer within ${timeoutMs} ms`);
      await sleep(100);
    }
  };
  proc.start();
  try {
    await waitUntilUp(30_000);
  } catch (err) {
    await proc.kill();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).catch(() => undefined);
    throw err;
  }
  return {
    uri,
    process: proc,
    waitUntilUp,
    async close() {
      await proc.stop(5_000);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)).catch((err: Error) => o.log(`chaos: could not drop ${database}: ${err.message}`));
    },
  };
}
