import { migrateDatabase } from '@exact-sync/db';
import { uniqueName } from '@exact-sync/testkit';
import postgres from 'postgres';
import type { Cleanup } from './cleanup.ts';

/** The shared Redis the benchmarks use unless they need their own (keys under a unique prefix, deleted after). */
export function benchRedisUrl(): string {
  return process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** The Postgres server the benchmarks create their databases on. */
function serverUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A new, migrated database on `server` (default: the shared local server), dropped by the cleanup. */
export async function benchDatabase(cleanup: Cleanup, label: string, server = serverUrl()): Promise<string> {
  const name = uniqueName(`bench_${label}`);
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  cleanup.defer(`drop database ${name}`, async () => {
    const sql = postgres(server, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await sql.end();
    }
  });
  const url = withDatabase(server, name);
  await migrateDatabase(url);
  return url;
}
