import { createTestDatabase, type TestDatabase } from '@exact-sync/testkit';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyDeletions,
  connections,
  type DatabaseHandle,
  items,
  openDatabase,
  type SyncRow,
  stockPositions,
  upsertSyncedRows,
} from '../src/index.ts';

let testDb: TestDatabase;
let handle: DatabaseHandle;
let connectionId: string;

beforeAll(async () => {
  testDb = await createTestDatabase('sync_upsert');
  handle = openDatabase(testDb.url, { max: 2 });
  const [row] = await handle.db
    .insert(connections)
    .values({ name: 'Shop', exactBaseUrl: 'https://start.exactonline.nl', division: 1 })
    .returning({ id: connections.id });
  if (!row) throw new Error('no connection row');
  connectionId = row.id;
});

afterAll(async () => {
  await handle?.close();
  await testDb?.drop();
});

const item = (exactId: string, timestamp: bigint, code: string): SyncRow<'items'> => ({
  connectionId,
  exactId,
  timestamp,
  modified: new Date('2026-11-30T10:00:00.123Z'),
  code,
  description: `it's "${code}"\n\\ ✓`,
  unit: 'pc',
  isSalesItem: true,
  isWebshopItem: null,
  barcode: null,
  costPrice: '12.345678901234567890',
});

const read = async (exactId: string) => {
  const [row] = await handle.db
    .select()
    .from(items)
    .where(and(eq(items.connectionId, connectionId), eq(items.exactId, exactId)));
  return row;
};

describe('upsertSyncedRows', () => {
  it('stores every column of a page as given, in one statement', async () => {
    const ids = Array.from(
      { length: 1200 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    await upsertSyncedRows(
      handle.db,
      'items',
      ids.map((id, i) => item(id, 9_007_199_254_740_993n + BigInt(i), `C${i}`)),
      { force: false },
    );
    const row = await read(ids[7] as string);
    expect(row).toMatchObject({
      timestamp: 9_007_199_254_741_000n,
      modified: new Date('2026-11-30T10:00:00.123Z'),
      code: 'C7',
      description: `it's "C7"\n\\ ✓`,
      unit: 'pc',
      isSalesItem: true,
      isWebshopItem: null,
      barcode: null,
      costPrice: '12.345678901234567890',
      deletedAt: null,
    });
  });

  it('never lets an older version overwrite a newer row, except in a full run', async () => {
    const id = '11111111-0000-4000-8000-000000000001';
    await upsertSyncedRows(handle.db, 'items', [item(id, 50n, 'NEW')], { force: false });
    await upsertSyncedRows(handle.db, 'items', [item(id, 40n, 'OLD')], { force: false });
    expect(await read(id)).toMatchObject({ timestamp: 50n, code: 'NEW' });
    await upsertSyncedRows(handle.db, 'items', [item(id, 60n, 'NEWER')], { force: false });
    expect(await read(id)).toMatchObject({ timestamp: 60n, code: 'NEWER' });
    // A full run after a division move takes Timestamps that restarted lower.
    await upsertSyncedRows(handle.db, 'items', [item(id, 3n, 'MOVED')], { force: true });
    expect(await read(id)).toMatchObject({ timestamp: 3n, code: 'MOVED' });
  });

  it('moves updated_at only on change, and brings a tombstoned row back', async () => {
    const id = '11111111-0000-4000-8000-000000000002';
    await upsertSyncedRows(handle.db, 'items', [item(id, 10n, 'A')], { force: false });
    const first = await read(id);
    await upsertSyncedRows(handle.db, 'items', [item(id, 10n, 'A')], { force: false });
    const again = await read(id);
    expect(again?.updatedAt).toEqual(first?.updatedAt);
    expect(again?.seenAt.getTime()).toBeGreaterThanOrEqual(first?.seenAt.getTime() ?? Infinity);

    await handle.db
      .update(items)
      .set({ deletedAt: new Date() })
      .where(and(eq(items.connectionId, connectionId), eq(items.exactId, id)));
    await upsertSyncedRows(handle.db, 'items', [item(id, 10n, 'A')], { force: false });
    const back = await read(id);
    expect(back?.deletedAt).toBeNull();
    expect(back?.updatedAt.getTime()).toBeGreaterThan(first?.updatedAt.getTime() ?? Infinity);
  });

  it('runs inside a transaction, rolled back with it', async () => {
    const id = '11111111-0000-4000-8000-000000000003';
    await expect(
      handle.db.transaction(async (tx) => {
        await upsertSyncedRows(tx, 'items', [item(id, 1n, 'X')], { force: false });
        expect(
          await tx
            .select()
            .from(items)
            .where(and(eq(items.connectionId, connectionId), eq(items.exactId, id))),
        ).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await read(id)).toBeUndefined();
  });

  it('takes whatever columns the table and the rows have (another table, nulls)', async () => {
    const id = '11111111-0000-4000-8000-000000000004';
    await upsertSyncedRows(
      handle.db,
      'stock',
      [
        {
          connectionId,
          exactId: id,
          timestamp: 5n,
          modified: null,
          itemId: '11111111-0000-4000-8000-0000000000ff',
          itemCode: 'I1',
          warehouseId: null,
          warehouseCode: null,
          currentStock: '-1.5',
          freeStock: null,
          planningIn: '0',
          planningOut: null,
          projectedStock: null,
          reservedStock: null,
        },
      ],
      { force: false },
    );
    const [row] = await handle.db.select().from(stockPositions).where(eq(stockPositions.exactId, id));
    expect(row).toMatchObject({ itemCode: 'I1', currentStock: '-1.5', planningIn: '0', warehouseId: null });
  });
});

describe('applyDeletions', () => {
  it('tombstones a page of deletions in one statement per entity, except rows changed after their deletion', async () => {
    const id = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
    await upsertSyncedRows(
      handle.db,
      'items',
      Array.from({ length: 1000 }, (_, i) => item(id(i), 500n, `D${i}`)),
      { force: false },
    );
    const deletedAt = new Date('2026-12-01T08:00:00.000Z');
    const deletions = Array.from({ length: 1000 }, (_, i) => ({
      entity: 'items' as const,
      exactId: id(i),
      // The last ten were changed again in Exact after they were deleted (re-created): they stay.
      timestamp: i < 990 ? 600n : 400n,
      deletedAt,
    }));
    // A deletion reported twice, and one of a row this connection never had.
    deletions.push({ entity: 'items', exactId: id(0), timestamp: 600n, deletedAt });
    deletions.push({ entity: 'items', exactId: id(5000), timestamp: 600n, deletedAt });
    expect(await applyDeletions(handle.db, connectionId, deletions)).toBe(990);
    expect(await read(id(0))).toMatchObject({ deletedAt });
    expect(await read(id(995))).toMatchObject({ deletedAt: null });
    expect(await applyDeletions(handle.db, connectionId, deletions)).toBe(0);
  });
});
