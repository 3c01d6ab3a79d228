import { ENTITY_NAMES, type EntityName } from '@exact-sync/core';
import { type DatabaseHandle, openDatabase } from '@exact-sync/db';
import {
  createTestDatabase,
  type OwnRedis,
  onboard,
  parsePrometheus,
  STACK_ADMIN_TOKEN,
  type Stack,
  startOwnRedis,
  startStack,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectEquality } from './sync-helpers.ts';

// Exact's 4xx on a sync page as a budget the service guards, through real processes: an essential field of prices
// disappears (Exact answers 400 "Property 'Item' does not exist."), later an optional field of items. Polls run
// every second; a refused entity is retried every 6 s here (an hour by default).
const DIVISION = 100001;
const RETRY_MS = 6_000;
const PRICES = 'sync/Logistics/SalesItemPrices';
const ITEMS = 'sync/Logistics/Items';
let db: TestDatabase;
let handle: DatabaseHandle;
let redis: OwnRedis;
let stack: Stack;

type EntityStatus = {
  phase: string;
  lastError: string | null;
  retryAt: string | null;
  droppedFields: string[];
  parkedDeletions: number;
};
const entities = async (id: string) =>
  (
    (await stack.call('GET', `/v1/connections/${id}/status`)).body as {
      entities: Record<EntityName, EntityStatus>;
    }
  ).entities;

/** 400s the simulator answered on an endpoint since the start. */
async function refusals(endpoint: string): Promise<number> {
  const { calls } = await stack.simControl.stats(DIVISION);
  return calls.filter((c) => c.endpoint === endpoint && c.status === 400).reduce((n, c) => n + c.count, 0);
}

/** The local live rows of these entities are the simulator's, version for version. */
async function equal(id: string, which: readonly EntityName[]): Promise<boolean> {
  const all = await expectEquality(handle, stack.simControl, id, DIVISION);
  return which.every((e) => {
    const { local, remote } = all[e];
    return local.size === remote.size && [...remote].every(([key, ts]) => local.get(key) === ts);
  });
}

async function scrape(url: string) {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${STACK_ADMIN_TOKEN}` } });
  return parsePrometheus(await res.text());
}

const workerLog = () => stack.workers.map((w) => w.output()).join('\n');

beforeAll(async () => {
  db = await createTestDatabase('sync_errors');
  handle = openDatabase(db.url, { max: 2 });
  redis = await startOwnRedis();
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: redis.url,
    redisPrefix: uniqueName('errors'),
    simEnv: { SIM_ITEMS: '400', SIM_ACCOUNTS: '50', SIM_MINUTE_LIMIT: '2000', SIM_DAY_LIMIT: '100000' },
    env: { SYNC_ERROR_RETRY_MS: String(RETRY_MS), SYNC_MIN_INTERVAL_MS: '1000' },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
  await handle?.close();
  await db?.drop();
});

describe('a permanent 4xx on one entity', () => {
  it('holds that entity in error and parks its deletions while the others converge; it recovers later', async () => {
    const id = await onboard(stack, { division: DIVISION });
    await waitFor('the initial sync', () => equal(id, ENTITY_NAMES), 60_000);

    await stack.simControl.dropField(PRICES, 'Item');
    await waitFor('prices in error', async () => (await entities(id)).prices.phase === 'error', 20_000, 200);
    const held = (await entities(id)).prices;
    expect(held.lastError).toBe("Property 'Item' does not exist.");
    expect(Date.parse(held.retryAt ?? '')).toBeGreaterThan(Date.now());

    // Items that have prices go, with their stock and prices; and two accounts.
    const priced = [
      ...new Set((await stack.simControl.dataset(DIVISION, 'prices')).map((p) => String(p.Item))),
    ];
    await stack.simControl.mutate(DIVISION, { entity: 'items', deleteIds: priced.slice(0, 3), update: 4 });
    await stack.simControl.mutate(DIVISION, { entity: 'accounts', delete: 2 });

    // The other entities go on, their deletions applied; the prices of the deleted items wait, parked.
    await waitFor(
      'items, stock and accounts converged',
      () => equal(id, ['items', 'stock', 'accounts']),
      20_000,
    );
    await waitFor(
      'parked price deletions',
      async () => (await entities(id)).prices.parkedDeletions > 0,
      20_000,
    );
    const api = await scrape(stack.apiUrl);
    expect(api.value('exs_sync_in_error', { connection_id: id, entity: 'prices' })).toBe(1);
    expect(api.value('exs_sync_in_error', { connection_id: id, entity: 'items' })).toBe(0);

    // Polled every second for 1.5 retry periods: one retry at most, one log line per refusal.
    await new Promise((r) => setTimeout(r, RETRY_MS * 1.5));
    const refused = await refusals(PRICES);
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(2);
    expect(
      workerLog()
        .split('\n')
        .filter((l) => l.includes('Exact refused the dataset')).length,
    ).toBe(refused);
    const url = /worker listening on (\S+)/.exec(workerLog())?.[1] ?? '';
    expect((await scrape(url)).value('exs_sync_errors_total', { dataset: 'prices' })).toBe(refused);

    await stack.simControl.restoreFields();
    await waitFor('prices ready again', async () => {
      const prices = (await entities(id)).prices;
      return prices.phase === 'incremental' && prices.parkedDeletions === 0;
    });
    await waitFor('equality with the simulator', () => equal(id, ENTITY_NAMES), 20_000);
  });

  it('drops an optional field Exact no longer has after exactly one error, and the sync goes on', async () => {
    const [id] = ((await stack.call('GET', '/v1/connections')).body as { data: { id: string }[] }).data.map(
      (c) => c.id,
    );
    if (!id) throw new Error('no connection');
    const before = await refusals(ITEMS);
    await stack.simControl.dropField(ITEMS, 'Barcode');
    await stack.simControl.mutate(DIVISION, { entity: 'items', update: 5 });
    await waitFor('Barcode dropped', async () =>
      (await entities(id)).items.droppedFields.includes('Barcode'),
    );
    await waitFor('items equal again', () => equal(id, ['items']), 20_000);
    // Several polls later, still the one error.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await refusals(ITEMS)).toBe(before + 1);
    const items = (await entities(id)).items;
    expect(items.phase).toBe('incremental');
    expect(items.droppedFields).toEqual(['Barcode']);
    const api = await scrape(stack.apiUrl);
    expect(api.value('exs_sync_dropped_fields', { connection_id: id, entity: 'items' })).toBe(1);
  });
});
