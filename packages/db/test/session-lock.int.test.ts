import { createTestDatabase, type TestDatabase, waitFor } from '@exact-sync/testkit';
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

  // The check for patches/postgres@3.4.9.patch (see patches/README.md). Without it, a query on the ended session
  // throws an uncaught TypeError inside postgres.js, which fails this run as an unhandled error. With it, the
  // queries fail; one sent between the server's reset and the socket's close can stay unanswered (a gap the patch
  // does not close), so each query gets a deadline instead of hanging the test.
  it('survives the server ending the lock session: its queries fail, the process does not', async () => {
    const killer = postgres(testDb.url, { max: 1, onnotice: () => {} });
    const outcome = (query: Promise<unknown>) =>
      Promise.race([
        query.then(
          () => 'answered',
          (e: Error) => e.message,
        ),
        new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), 2_000)),
      ]);
    try {
      const outcomes = await withSessionLock(handle, 'lock-b', async (db) => {
        const [me] = await db.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`);
        await killer`select pg_terminate_backend(${me?.pid ?? 0})`;
        return [await outcome(db.execute(sql`select 1`)), await outcome(db.execute(sql`select 1`))];
      }).catch((e: Error) => [e.message]);
      expect(outcomes).not.toContain('answered');
      // The pool goes on serving: at most the query that meets the released, dead session fails.
      await waitFor(
        'the pool to answer',
        async () => (await handle.db.execute(sql`select 2 as n`))[0]?.n === 2,
        10_000,
      );
    } finally {
      await killer.end();
    }
  });
});
