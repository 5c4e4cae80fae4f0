import { existsSync } from 'node:fs';
import pg from 'pg';
import t from 'tap';
import { pingMongo, pingRedis, resolveInfra, type ResolvedInfra } from './index.js';
import { groupMembers, isPidAlive } from './process.util.js';
import { knownFerretdb, memoryLogger } from './test-support.js';

/** "started <bin> pid 123, data /path" → 123 and /path. */
function startedProcess(detail: string): { pid: number; dataDir: string } {
  const m = /pid (\d+), data ([^\s,]+)/.exec(detail);
  if (!m) throw new Error(`no pid in "${detail}"`);
  return { pid: Number(m[1]), dataDir: m[2]! };
}

async function postgresDatabaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

/** Private redis-server on a free port (port 0 skips the "already listening" probe). */
async function privateRedis(): Promise<ResolvedInfra> {
  return resolveInfra({ services: ['redis'], env: {}, ports: { redis: 0 }, docker: false, logger: memoryLogger() });
}

t.test('a local redis-server binary is started, answers, and is stopped without leftovers', async (t) => {
  const resolved = await privateRedis();
  const [source] = resolved.sources;
  t.equal(source?.kind, 'binary');
  const { pid, dataDir } = startedProcess(source!.detail);
  t.ok(isPidAlive(pid), 'the server process runs');
  t.ok(await pingRedis(resolved.infra.redisUri), 'and answers PING');
  t.match(dataDir, /\/\.infra\/redis-\d+$/, 'in a project-local data dir');
  await resolved.stop();
  t.notOk(isPidAlive(pid), 'the process is gone after stop()');
  t.same(groupMembers(pid), [], 'and nothing of its process group is left');
  t.notOk(existsSync(dataDir), 'the throw-away data dir is removed');
  t.notOk(await pingRedis(resolved.infra.redisUri, 300), 'nothing answers on its port any more');
});

t.test('FerretDB is started on a free port when no mongod is wanted', async (t) => {
  const resolved = await resolveInfra({
    services: ['mongodb'],
    env: {},
    ports: { mongodb: 0 },
    docker: false,
    binaries: { mongod: false, ferretdb: knownFerretdb() },
    logger: memoryLogger(),
  });
  const [source] = resolved.sources;
  t.match(source, { kind: 'binary', detail: /^started ferretdb pid \d+/ });
  const { pid } = startedProcess(source!.detail);
  t.teardown(() => resolved.stop());
  t.ok(await pingMongo(resolved.infra.mongodbUri), 'FerretDB answers ping');
  const pgDatabase = /PostgreSQL database (\w+)/.exec(source!.detail)?.[1];
  await resolved.stop();
  t.notOk(isPidAlive(pid), 'ferretdb is gone after stop()');
  t.same(groupMembers(pid), []);
  if (pgDatabase) t.notOk(await postgresDatabaseExists(pgDatabase), `its PostgreSQL database ${pgDatabase} is dropped after stop()`);
  else t.match(source!.detail, /SQLite/, 'without PostgreSQL it stores in SQLite');
});

t.test('an explicit env URL wins over a server listening on the local port', async (t) => {
  const local = await privateRedis();
  const explicit = await privateRedis();
  t.teardown(async () => {
    await local.stop();
    await explicit.stop();
  });
  const localPort = Number(new URL(local.infra.redisUri).port);

  const viaEnv = await resolveInfra({
    services: ['redis'],
    env: { REDIS_URI: explicit.infra.redisUri },
    ports: { redis: localPort },
    logger: memoryLogger(),
  });
  t.match(viaEnv.sources, [{ kind: 'env', uri: explicit.infra.redisUri }]);
  t.same(viaEnv.env, { REDIS_URI: explicit.infra.redisUri });

  const viaPort = await resolveInfra({ services: ['redis'], env: {}, ports: { redis: localPort }, logger: memoryLogger() });
  t.match(viaPort.sources, [{ kind: 'local-port', uri: `redis://127.0.0.1:${localPort}` }]);
  await viaEnv.stop();
  await viaPort.stop();
  t.ok(await pingRedis(local.infra.redisUri), 'stopping a resolution that started nothing stops nothing');
});

t.test('an explicit URL that does not answer is a start-up error naming the variable', async (t) => {
  await t.rejects(
    resolveInfra({
      services: ['redis'],
      env: { REDIS_URI: 'redis://127.0.0.1:1' },
      envProbeTimeoutMs: 500,
      logger: memoryLogger(),
    }),
    /REDIS_URI=redis:\/\/127\.0\.0\.1:1/,
  );
});

t.test('nothing found and nothing startable → a clear error saying what to install', async (t) => {
  await t.rejects(
    resolveInfra({
      services: ['redis'],
      env: {},
      ports: { redis: 0 },
      docker: false,
      binaries: { redisServer: false },
      logger: memoryLogger(),
    }),
    /redis: no server found[\s\S]*REDIS_URI is not set[\s\S]*redis-server disabled[\s\S]*install Redis/,
  );
});

t.test('start: false only reports what exists', async (t) => {
  const resolved = await resolveInfra({ services: ['redis', 'smtp'], env: {}, ports: { redis: 0, smtp: 0, mailApi: 0 }, start: false, logger: memoryLogger() });
  t.same(resolved.sources, []);
  t.same(resolved.env, {});
});
