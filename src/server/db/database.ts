import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

// Return timestamptz and date as ISO strings, not JS Dates, so no code converts
// them through the process time zone by accident.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export type Database = Kysely<DB>;
export type Tx = Transaction<DB>;
export type Db = Database | Tx;

const pools = new WeakMap<Database, pg.Pool>();

/** Connections in the pool behind `db` (for metrics): all, idle, and requests waiting for one. */
export function poolStats(db: Database): { total: number; idle: number; waiting: number } | null {
  const pool = pools.get(db);
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
}

export function createDatabase(
  url: string,
  opts: { poolMax: number; statementTimeoutMs: number; connectTimeoutMs?: number },
): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax,
    statement_timeout: opts.statementTimeoutMs || undefined,
    application_name: 'civiccert',
    // A database that is down or restarting refuses connections at once (answered 503). This
    // bounds the rest: a database that hangs, and a request's wait for a free connection, which
    // pg-pool counts in the same timeout. It is long enough for a registration rush (500 requests
    // at once queue for 20 connections) to be served, not shed.
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 30_000,
  });
  // An idle connection can be closed by the server (restart, or Ctrl-C reaching the embedded
  // PostgreSQL in the same terminal). The pool replaces it; it must not crash the process.
  pool.on('error', () => {});
  // A client checked out between two statements of a transaction has no listener of the pool's:
  // when PostgreSQL dies, its 'error' event would end the process. The next query on it fails
  // instead (answered 503), and the pool discards the broken client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}

/**
 * Runs `fn` on one connection of `db`'s pool, given both as the raw pg client (for COPY, which
 * Kysely cannot send) and as a Kysely database bound to that one connection, so a transaction
 * begun on it and the COPY share it. The connection goes back to the pool afterwards.
 */
export async function withClient<T>(
  db: Database,
  fn: (client: pg.PoolClient, one: Database) => Promise<T>,
): Promise<T> {
  const pool = pools.get(db);
  if (!pool) throw new Error('withClient needs a database made by createDatabase');
  const client = await pool.connect();
  const shared = {
    query: (...args: unknown[]) => (client.query as (...a: unknown[]) => unknown)(...args),
    release: () => {},
  };
  const one = new Kysely<DB>({
    dialect: new PostgresDialect({
      pool: { connect: async () => shared as unknown as pg.PoolClient, end: async () => {} },
    }),
  });
  try {
    const out = await fn(client, one);
    client.release();
    return out;
  } catch (e) {
    // A connection a failure may have left mid-COPY is closed, not given to anyone else.
    client.release(e as Error);
    throw e;
  }
}

export async function ping(db: Database): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Creates the database named in `url` if it does not exist (connecting to `postgres`). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!name || name === 'postgres') return;
  u.pathname = '/postgres';
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database "${name.replace(/"/g, '""')}"`).catch((e: { code?: string }) => {
        // Created concurrently by another instance: 42P04, or 23505 when both got past the check at once.
        if (e.code !== '42P04' && e.code !== '23505') throw e;
      });
    }
  } finally {
    await client.end();
  }
}
