import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { launchServer, processService, startTarget } from './binary.launcher.js';
import { ensureFerretdb } from './ferretdb.installer.js';
import { ferretdbPostgres } from './ferretdb.postgres.js';
import type { ResolvedService } from './infra.types.js';
import { findExecutable } from './process.util.js';
import { binaryChoice, type ServiceContext } from './service.context.js';
import { runSteps, type ServiceSteps } from './service.steps.js';

/** MongoDB handshake: the `ping` command must succeed (works for mongod and FerretDB). */
export async function pingMongo(uri: string, timeoutMs = 2_000): Promise<boolean> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    directConnection: !uri.startsWith('mongodb+srv:') && !/replicaSet=/.test(uri),
  });
  try {
    await client.connect();
    const res = await client.db('admin').command({ ping: 1 });
    return res.ok === 1;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function startMongod(ctx: ServiceContext, bin: string): Promise<ResolvedService> {
  const target = await startTarget(ctx, 'mongodb');
  const uri = `mongodb://127.0.0.1:${target.port}`;
  const logFile = join(target.dataDir, 'mongodb.log');
  ctx.logger.info(`mongodb: starting ${bin} on 127.0.0.1:${target.port} (data ${target.dataDir})`);
  const args = ['--dbpath', target.dataDir, '--bind_ip', '127.0.0.1', '--port', String(target.port)];
  const proc = await launchServer({ ctx, name: 'mongod', command: bin, args, logFile, ready: () => pingMongo(uri, 500), timeoutMs: 60_000 });
  return processService({ service: 'mongodb', uri, detail: `started mongod pid ${proc.pid}, data ${target.dataDir}`, proc, target });
}

async function startFerretdb(ctx: ServiceContext, bin: string, notes: string[]): Promise<ResolvedService> {
  const target = await startTarget(ctx, 'ferretdb');
  const uri = `mongodb://127.0.0.1:${target.port}`;
  const logFile = join(target.dataDir, 'ferretdb.log');
  const postgres = await ferretdbPostgres(ctx, target.port, target.ephemeral, notes);
  const storage = postgres ? `PostgreSQL database ${postgres.database}` : 'SQLite';
  ctx.logger.info(`mongodb: starting FerretDB ${bin} on 127.0.0.1:${target.port} (${storage})`);
  const args = [
    ...(postgres
      ? ['--handler=postgresql', `--postgresql-url=${postgres.url}`]
      : // Trailing slash matters: FerretDB wants a directory URL and keeps one .sqlite file per database.
        ['--handler=sqlite', `--sqlite-url=file:${target.dataDir}/`]),
    `--state-dir=${target.dataDir}`,
    `--listen-addr=127.0.0.1:${target.port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=warn',
  ];
  const proc = await launchServer({ ctx, name: 'ferretdb', command: bin, args, logFile, ready: () => pingMongo(uri, 500) }).catch(async (err: unknown) => {
    await postgres?.drop();
    throw err;
  });
  return processService({
    service: 'mongodb',
    uri,
    detail: `started ferretdb pid ${proc.pid}, data ${target.dataDir}, ${storage}`,
    proc,
    target,
    afterStop: () => postgres?.drop() ?? Promise.resolve(),
  });
}

/** Step (c): real mongod when installed, else FerretDB (found, or built with Go once). */
async function startMongoBinary(ctx: ServiceContext, notes: string[]): Promise<ResolvedService | undefined> {
  const mongodChoice = binaryChoice(ctx.binaries.mongod, ctx.env, 'ASHCHAT_MONGOD_BIN');
  const mongod = mongodChoice === false ? undefined : mongodChoice || findExecutable('mongod', ['/usr/local/bin', '/opt/homebrew/bin']);
  if (mongod) return startMongod(ctx, mongod);
  notes.push(mongodChoice === false ? 'mongod disabled by option' : 'no mongod binary on PATH');
  const ferretChoice = binaryChoice(ctx.binaries.ferretdb, ctx.env, 'ASHCHAT_FERRETDB_BIN');
  if (ferretChoice === false) {
    notes.push('ferretdb disabled by option');
    return undefined;
  }
  const ferretdb = await ensureFerretdb({ explicit: ferretChoice, cacheDir: ctx.cacheDir, logger: ctx.logger, notes });
  return ferretdb ? startFerretdb(ctx, ferretdb, notes) : undefined;
}

export async function resolveMongodb(ctx: ServiceContext): Promise<ResolvedService | undefined> {
  const steps: ServiceSteps = {
    service: 'mongodb',
    envName: 'MONGODB_URI',
    localUri: (port) => `mongodb://127.0.0.1:${port}`,
    probe: (uri) => pingMongo(uri),
    startBinary: (notes) => startMongoBinary(ctx, notes),
    container: { image: 'mongo:8', ports: [27017], uri: (host, port) => `mongodb://${host}:${port(27017)}` },
    installHelp:
      'install MongoDB (mongod), or Go (https://go.dev/dl) so FerretDB can be built automatically, ' +
      'start Docker, or set MONGODB_URI.',
  };
  return runSteps(ctx, steps);
}
