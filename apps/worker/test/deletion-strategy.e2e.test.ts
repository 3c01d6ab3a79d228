import { ENTITY_NAMES, type EntityName } from '@exact-sync/core';
import { type DatabaseHandle, openDatabase, SYNC_TABLES } from '@exact-sync/db';
import {
  createTestDatabase,
  type OwnRedis,
  onboard,
  type Stack,
  startOwnRedis,
  startStack,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEquality } from './sync-helpers.ts';

// Deletions at their cheapest, through real processes: the simulator deletes 5,000 records a second of types the
// service does not sync, so the unfiltered chain pages through ten pages a round while four typed chains cost four
// calls. The strategy is judged over a 12-second window instead of a day.
const DIVISION = 100001;
const WINDOW_MS = 12_000;
const FOREIGN_PER_DAY = 5_000 * 86_400;
let db: TestDatabase;
let handle: DatabaseHandle;
let redis: OwnRedis;
let stack: Stack;

interface Deletions {
  strategy: 'all' | 'per_type';
  cost: { callsAll: number; callsPerType: number; foreign: number } | null;
}

const deletions = async (id: string) =>
  ((await stack.call('GET', `/v1/connections/${id}/status`)).body as { deletions: Deletions }).deletions;

async function equal(connectionId: string): Promise<boolean> {
  const all = await expectEquality(handle, stack.simControl, connectionId, DIVISION);
  // The entities this connection syncs (the others are switched off below).
  return (['items', 'stock', 'prices', 'accounts'] as const).every((e) => {
    const { local, remote } = all[e];
    return local.size === remote.size && [...remote].every(([id, ts]) => local.get(id) === ts);
  });
}

/** exact id → time of every tombstone of the connection. */
async function tombstones(connectionId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const entity of ENTITY_NAMES) {
    const table = SYNC_TABLES[entity];
    const rows = await handle.db
      .select({ id: table.exactId, at: table.updatedAt })
      .from(table)
      .where(and(eq(table.connectionId, connectionId), isNotNull(table.deletedAt)));
    for (const r of rows) out.set(r.id, r.at.getTime());
  }
  return out;
}

beforeAll(async () => {
  db = await createTestDatabase('deletion_strategy');
  handle = openDatabase(db.url, { max: 2 });
  redis = await startOwnRedis();
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: redis.url,
    redisPrefix: uniqueName('strategy'),
    simEnv: {
      SIM_ITEMS: '500',
      SIM_ACCOUNTS: '60',
      SIM_MINUTE_LIMIT: '10000',
      SIM_DAY_LIMIT: '1000000',
      SIM_CONFIG: JSON.stringify({ foreignDeletionsPerDay: FOREIGN_PER_DAY }),
    },
    env: { DELETION_STRATEGY_WINDOW_MS: String(WINDOW_MS) },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
  await handle?.close();
  await db?.drop();
});

describe('the deletions strategy', () => {
  it('moves to per-type chains under foreign volume and back when it stops, skipping no deletion and applying none twice', async () => {
    const id = await onboard(stack, { division: DIVISION });
    // The catalogue alone: the CRM and order datasets switched off, so the per-type strategy is four chains (the
    // deletions of the others count as foreign).
    const off = Object.fromEntries(
      ['addresses', 'contacts', 'orderHeaders', 'orderLines', 'deliveries', 'deliveryLines', 'invoices'].map(
        (e) => [e, { enabled: false }],
      ),
    );
    expect((await stack.call('PATCH', `/v1/connections/${id}`, { body: { entities: off } })).status).toBe(
      200,
    );
    // Deletions of synced entities keep coming throughout, across both switches.
    let deleting = true;
    const churn = (async () => {
      const entities: EntityName[] = ['items', 'accounts', 'stock', 'prices'];
      for (let i = 0; deleting; i++) {
        await stack.simControl.mutate(DIVISION, { entity: entities[i % 4], delete: 1, update: 1 });
        await new Promise((r) => setTimeout(r, 700));
      }
    })();
    try {
      await waitFor(
        'per-type chains',
        async () => (await deletions(id)).strategy === 'per_type',
        60_000,
        500,
      );
      const measured = await deletions(id);
      expect(measured.cost?.callsPerType).toBeLessThan(measured.cost?.callsAll ?? 0);
      const before = await tombstones(id);

      await stack.simControl.config({ foreignDeletionsPerDay: 0 });
      await waitFor(
        'the unfiltered chain again',
        async () => (await deletions(id)).strategy === 'all',
        60_000,
        500,
      );
      deleting = false;
      await churn;
      await waitFor('equality with the simulator', () => equal(id), 30_000);

      const after = await tombstones(id);
      expect(after.size).toBeGreaterThan(before.size);
      for (const [row, at] of before) expect(after.get(row), row).toBe(at);
    } finally {
      deleting = false;
      await churn;
    }
  });
});
