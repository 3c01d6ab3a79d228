import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Database = ReturnType<typeof drizzle<typeof schema>>;
type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
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

/** True when Postgres answers a trivial query: for readiness probes. */
export async function pingDatabase(sql: postgres.Sql): Promise<boolean> {
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  }
}
