import { createTestDatabase, type TestDatabase } from '@exact-sync/testkit';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase, withSessionLock } from '../src/index.ts';

let testDb: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  testDb = await createTestDatabase('session_lock');
  handle = openDatabase(testDb.url, { max: 3 });
});

afterAll(async () => {
  await handle?.close();
  await testDb?.drop();
});

describe('withSessionLock', () => {
  it('lets one holder in at a time and runs its queries on the lock session', async () => {
    const inside = await withSessionLock(handle, 'lock-a', async (db) => {
      const again = await withSessionLock(handle, 'lock-a', async () => 'second');
      const [row] = await db.execute<{ n: number }>(sql`select 1 as n`);
      return { again, n: row?.n };
    });
    expect(inside).toEqual({ again: undefined, n: 1 });
    expect(await withSessionLock(handle, 'lock-a', async () => 'free again')).toBe('free again');
  });

  it('survives the server ending the lock session: the queries fail, the process does not', async () => {
    const killer = postgres(testDb.url, { max: 1, onnotice: () => {} });
    try {
      const outcome = await withSessionLock(handle, 'lock-b', async (db) => {
        const [me] = await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        await killer`select pg_terminate_backend(${me?.pid ?? 0})`;
        const first = await db.execute(sql`select 1`).then(
          () => 'answered',
          (e: Error) => e.message,
        );
        const second = await db.execute(sql`select 1`).then(
          () => 'answered',
          (e: Error) => e.message,
        );
        return [first, second];
      }).catch((e: Error) => e.message);
      expect(JSON.stringify(outcome)).toMatch(/CONNECTION|terminat/i);
      // The pool still serves the others.
      const [row] = await handle.db.execute<{ n: number }>(sql`select 2 as n`);
      expect(row?.n).toBe(2);
    } finally {
      await killer.end();
    }
  });
});
