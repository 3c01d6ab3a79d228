import { EXACT_LISTS, LIST_NAMES, type ListName } from '@exact-sync/core';
import { type DatabaseHandle, LIST_TABLES, openDatabase, syncState } from '@exact-sync/db';
import type { ExactClient } from '@exact-sync/exact';
import { workerRedis } from '@exact-sync/queues';
import {
  createTestDatabase,
  deleteRedisKeys,
  type RunningProcess,
  type SimControl,
  simControl,
  startSimulator,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import { and, eq, isNull } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runListSync } from '../src/sync/list-sync.run.ts';
import { insertConnection, runDeps, simClient, testGovernor, withBudgetWaits } from './sync-helpers.ts';

// The REST lists without a sync endpoint (price lists and periods, volume discounts, VAT codes and percentages, item
// groups, units, warehouses) are read whole with $select, a page of 60 per transaction; a complete read tombstones
// what it did not see, since none of them has a sync/Deleted type.

const DIVISION = 100001;
let db: TestDatabase;
let handle: DatabaseHandle;
let proc: RunningProcess & { url: string };
let sim: SimControl;
let redis: Redis;
let exact: ExactClient;
const prefix = uniqueName('list_sync');

const read = (connectionId: string, list: ListName) =>
  withBudgetWaits(() => runListSync(runDeps(handle), exact, { connectionId, list }));

async function live<L extends ListName>(
  connectionId: string,
  list: L,
): Promise<(typeof LIST_TABLES)[L]['$inferSelect'][]> {
  const table: (typeof LIST_TABLES)[ListName] = LIST_TABLES[list];
  const rows = await handle.db
    .select()
    .from(table)
    .where(and(eq(table.connectionId, connectionId), isNull(table.deletedAt)));
  return rows as (typeof LIST_TABLES)[L]['$inferSelect'][];
}

beforeAll(async () => {
  db = await createTestDatabase('list_sync');
  handle = openDatabase(db.url, { max: 4 });
  proc = await startSimulator({
    SIM_ITEMS: '3000',
    SIM_ACCOUNTS: '50',
    SIM_DAY_LIMIT: '100000',
    SIM_MINUTE_LIMIT: '1000',
  });
  sim = simControl(proc.url);
  redis = workerRedis(testRedisUrl());
  exact = await simClient(sim, proc.url, DIVISION, testGovernor(redis, prefix));
});

afterAll(async () => {
  await exact?.close();
  redis?.disconnect();
  await deleteRedisKeys(prefix);
  await proc?.stop();
  await handle?.close();
  await db?.drop();
});

describe('the REST lists', () => {
  it('are read whole, a page per call, and equal Exact record for record', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await sim.resetStats();
    const pages: Record<string, number> = {};
    for (const list of LIST_NAMES) {
      const remote = await sim.dataset(DIVISION, list);
      pages[EXACT_LISTS[list].path] = Math.max(1, Math.ceil(remote.length / 60));
      const result = await read(connectionId, list);
      expect(result.outcome, list).toBe('done');
      const rows = await live(connectionId, list);
      expect(rows.map((r) => r.exactId).sort(), list).toEqual(remote.map((r) => r.ID.toLowerCase()).sort());
    }
    // One call per page, none read twice although budget waits interrupt the longer reads.
    const called: Record<string, number> = {};
    for (const c of (await sim.stats(DIVISION)).calls)
      called[c.endpoint] = (called[c.endpoint] ?? 0) + c.count;
    expect(called).toEqual(pages);
    expect(pages['sales/SalesPriceListVolumeDiscounts']).toBeGreaterThan(1);
    const states = await handle.db.select().from(syncState).where(eq(syncState.connectionId, connectionId));
    for (const list of LIST_NAMES) {
      expect(states.find((s) => s.entity === list)?.phase, list).toBe('incremental');
    }

    const [vat] = (await sim.dataset(DIVISION, 'vatPercentages')).filter((p) => p.EndDate);
    const [stored] = (await live(connectionId, 'vatPercentages')).filter(
      (r) => r.exactId === String(vat?.ID).toLowerCase(),
    );
    expect([Number(stored?.percentage), stored?.endDate?.getTime()]).toEqual([
      Number(vat?.Percentage),
      Number(/\d+/.exec(String(vat?.EndDate))?.[0]),
    ]);
    const discounts = await live(connectionId, 'volumeDiscounts');
    expect(discounts.some((d) => d.entryMethod === 2 && d.newPrice !== null)).toBe(true);
    expect(discounts.some((d) => d.entryMethod === 1 && Number(d.discount) > 0)).toBe(true);
  });

  it('tombstone a volume discount a complete read no longer sees, and leave unchanged rows as they were', async () => {
    const connectionId = await insertConnection(handle, proc.url, DIVISION);
    await read(connectionId, 'volumeDiscounts');
    const before = new Map(
      (await live(connectionId, 'volumeDiscounts')).map((r) => [r.exactId, r.updatedAt]),
    );
    const [gone] = await sim.dataset(DIVISION, 'volumeDiscounts');
    await sim.mutate(DIVISION, { entity: 'volumeDiscounts', deleteIds: [gone?.ID] });

    const again = await read(connectionId, 'volumeDiscounts');
    expect(again.tombstoned).toBe(1);
    const after = await live(connectionId, 'volumeDiscounts');
    expect(after.map((r) => r.exactId)).not.toContain(String(gone?.ID).toLowerCase());
    expect(after.length).toBe(before.size - 1);
    expect(after.every((r) => r.updatedAt.getTime() === before.get(r.exactId)?.getTime())).toBe(true);
  });
});
