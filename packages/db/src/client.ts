import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Database = ReturnType<typeof drizzle<typeof schema>>;
/** A transaction of the database, as `db.transaction` hands it to its callback. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** The database or a transaction of it: repository functions accept either. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  readonly db: Database;
  /** The underlying postgres.js client, for advisory locks and raw SQL. */
  readonly sql: postgres.Sql;
  close(): Promise<void>;
}

interface DatabaseOptions {
  /** Pool size; defaults to 10. */
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

/** Opens a pooled connection. Bigints come back as JS bigint (Exact's Timestamps exceed 2^53 in principle). */
export function openDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.applicationName ?? 'exact-sync' },
    types: { bigint: postgres.BigInt },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/**
 * The postgres.js client behind a database or a transaction of it, for statements drizzle cannot say or would
 * send unprepared (drizzle sends a query with parameters unprepared: a describe round trip each time).
 */
export function rawClient(executor: Executor): postgres.Sql {
  // drizzle keeps it in the session of both (for a transaction, the connection the transaction runs on).
  const client = (executor as unknown as { session?: { client?: postgres.Sql } }).session?.client;
  if (!client) throw new Error('no postgres.js client behind this executor');
  return client;
}

/**
 * Runs `fn` holding a session-level advisory lock on `key`, or answers `undefined` when another session holds it.
 * Everything `fn` does runs on that same connection (statements commit one by one), so holding the lock never
 * needs a second connection from the pool: many lock holders cannot starve the pool and deadlock on it.
 */
export async function withSessionLock<T>(
  handle: DatabaseHandle,
  key: string,
  fn: (db: Database) => Promise<T>,
): Promise<T | undefined> {
  const session = await handle.sql.reserve();
  try {
    const [row] = await session`select pg_try_advisory_lock(hashtextextended(${key}, 0)) as locked`;
    if (row?.locked !== true) return undefined;
    try {
      // A reserved connection lacks the pool's `options`, which drizzle reads for its type parsers: lend them.
      const client = Object.assign(session, { options: handle.sql.options }) as unknown as postgres.Sql;
      return await fn(drizzle(client, { schema }));
    } finally {
      await session`select pg_advisory_unlock(hashtextextended(${key}, 0))`;
    }
  } finally {
    session.release();
  }
}

/** True when Postgres answers a trivial query: for readiness probes. */
export async function pingDatabase(sql: postgres.Sql): Promise<boolean> {
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  }
}
