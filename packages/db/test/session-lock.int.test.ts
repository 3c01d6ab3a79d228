import { createTestDatabase, type TestDatabase } from '@exact-sync/testkit';
import { sql } from 'drizzle-orm';
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
});
