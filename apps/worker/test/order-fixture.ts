import { randomUUID } from 'node:crypto';
import { yourRefFor } from '@exact-sync/core';
import { apiKeys, type DatabaseHandle, insertOrder, openDatabase } from '@exact-sync/db';
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
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type SubmitPolicy, submitOrder } from '../src/orders/submit-order.ts';
import { runEntitySync } from '../src/sync/sync-entity.run.ts';
import { insertConnection, runDeps, simClient, testGovernor, withBudgetWaits } from './sync-helpers.ts';

export const DIVISION = 100002;
export const POLICY: SubmitPolicy = {
  b2cAccountCode: undefined,
  lookupsPerKeyPerHour: 20,
  rejectionsPerKeyPerHour: 2,
};
type SimRecord = Awaited<ReturnType<SimControl['dataset']>>[number];

/** A record's code, trimmed of Exact's padding. */
export const code = (record: SimRecord | undefined): string => String(record?.Code).trim();

interface OrderFixture {
  handle: DatabaseHandle;
  sim: SimControl;
  redis: Redis;
  exact: ExactClient;
  connectionId: string;
  prefix: string;
  /** Sales items and unblocked accounts of the simulator's dataset, synced. */
  items: SimRecord[];
  accounts: SimRecord[];
}

/**
 * A simulator whose items and accounts are synced into a database of the test file's own, with one blocked
 * account (`accounts[1]`) and one item not for sale (`items[1]`) among them. Call at the top of a test file: it
 * registers the hooks, and the fixture is filled in before the first test. Stats are reset before each test.
 */
export function useOrderFixture(name: string) {
  const fixture = {} as OrderFixture;
  const log = pino({ level: 'silent' });
  let db: TestDatabase;
  let proc: RunningProcess & { url: string };
  let references = 0;

  beforeAll(async () => {
    fixture.prefix = uniqueName(name);
    db = await createTestDatabase(name);
    fixture.handle = openDatabase(db.url, { max: 6 });
    proc = await startSimulator({ SIM_ITEMS: '100', SIM_ACCOUNTS: '30' });
    fixture.sim = simControl(proc.url);
    fixture.redis = workerRedis(testRedisUrl());
    fixture.exact = await simClient(
      fixture.sim,
      proc.url,
      DIVISION,
      testGovernor(fixture.redis, fixture.prefix),
    );
    fixture.connectionId = await insertConnection(fixture.handle, proc.url, DIVISION);
    const { sim } = fixture;
    fixture.items = (await sim.dataset(DIVISION, 'items')).filter((i) => i.IsSalesItem === true);
    fixture.accounts = (await sim.dataset(DIVISION, 'accounts')).filter((a) => a.Blocked === false);
    await sim.mutate(DIVISION, {
      entity: 'accounts',
      records: [{ ID: fixture.accounts[1]?.ID, Blocked: true }],
    });
    await sim.mutate(DIVISION, {
      entity: 'items',
      records: [{ ID: fixture.items[1]?.ID, IsSalesItem: false }],
    });
    for (const entity of ['items', 'accounts'] as const) {
      await withBudgetWaits(() =>
        runEntitySync(runDeps(fixture.handle), fixture.exact, {
          connectionId: fixture.connectionId,
          entity,
        }),
      );
    }
  });

  beforeEach(async () => {
    await fixture.sim.resetStats();
  });

  afterAll(async () => {
    await fixture.exact?.close();
    fixture.redis?.disconnect();
    await deleteRedisKeys(fixture.prefix);
    await proc?.stop();
    await fixture.handle?.close();
    await db?.drop();
  });

  return {
    fixture,

    /** A storefront key of the b2b channel. */
    async newKey(): Promise<string> {
      const [row] = await fixture.handle.db
        .insert(apiKeys)
        .values({
          connectionId: fixture.connectionId,
          channel: 'b2b',
          keyHash: randomUUID(),
          keyPrefix: 'exs_test',
        })
        .returning({ id: apiKeys.id });
      if (!row) throw new Error('no key');
      return row.id;
    },

    /** An accepted b2b order of a key, one of each SKU. */
    async newOrder(
      apiKeyId: string | null,
      customer: { code: string } | { exactId: string },
      skus: readonly string[],
    ) {
      const reference = `${name.toUpperCase()}-${++references}`;
      const { order } = await insertOrder(fixture.handle.db, {
        connectionId: fixture.connectionId,
        channel: 'b2b',
        reference,
        apiKeyId,
        yourRef: yourRefFor('b2b', reference),
        payloadHash: reference,
        customer,
        lines: skus.map((sku) => ({ sku, quantity: '1' })),
      });
      return order;
    },

    /** Submits as the queue would: budget waits and busy answers are tried again a moment later. */
    async submit(orderId: string, policy: SubmitPolicy = POLICY) {
      for (;;) {
        const result = await withBudgetWaits(() =>
          submitOrder({ database: fixture.handle, exact: fixture.exact, log }, { orderId, policy }),
        );
        if (result.outcome !== 'busy') return result;
        await new Promise((r) => setTimeout(r, 50));
      }
    },

    /** Exact calls since the last reset, as `METHOD endpoint status` → count. */
    async exactCalls(): Promise<Record<string, number>> {
      const out: Record<string, number> = {};
      for (const c of (await fixture.sim.stats(DIVISION)).calls) {
        const key = `${c.method} ${c.endpoint} ${c.status}`;
        out[key] = (out[key] ?? 0) + c.count;
      }
      return out;
    },
  };
}
