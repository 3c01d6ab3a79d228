import { randomUUID } from 'node:crypto';
import { accounts, items, salesItemPrices, stockPositions } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
} from '@exact-sync/testkit';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, seedConnection, testConfig } from '../helpers.ts';
import { ADMIN } from '../onboarding.ts';

// Attack: a storefront key of connection A (another company's shop on the same installation) reads connection B's
// orders, items, stock, prices or customers: by id, through list filters, with B's cursors, or by replaying B's
// order references.
type Shop = Awaited<ReturnType<typeof seedConnection>>;
let db: TestDatabase;
let api: FastifyInstance;
let shopA: Shop;
let shopB: Shop;
const prefix = uniqueName('tenants');
/** Every exactId and order id that belongs to B. */
const ofB = new Set<string>();

const CATALOG = ['/v1/items', '/v1/stock', '/v1/prices', '/v1/accounts'];
const EPOCH = '1970-01-01T00:00:00.000Z';
const as = (key: string, url: string) => api.inject({ url, headers: { authorization: `Bearer ${key}` } });
/** The code filter of a catalogue list: `sku` on the item datasets, `code` on accounts. */
const codeFilter = (url: string) => (url === '/v1/accounts' ? 'code' : 'sku');
const idsIn = (body: { data: { exactId?: string; id?: string }[] }) =>
  body.data.map((r) => r.exactId ?? r.id);

async function seedCatalog(shop: Shop, tag: string): Promise<string[]> {
  const { db } = api.database;
  const connectionId = shop.connectionId;
  const common = {
    connectionId,
    timestamp: 1n,
    modified: new Date(0),
    updatedAt: new Date(Date.now() - 60_000),
  };
  const item = randomUUID();
  const customer = randomUUID();
  const rows = {
    items: [
      { ...common, exactId: item, code: `${tag}-ONLY` },
      { ...common, exactId: randomUUID(), code: 'SHARED' },
      { ...common, exactId: randomUUID(), code: `${tag}-GONE`, deletedAt: new Date(Date.now() - 60_000) },
    ],
    stock: ['AMS', 'RTM'].map((warehouseCode) => ({
      ...common,
      exactId: randomUUID(),
      itemId: item,
      itemCode: `${tag}-ONLY`,
      warehouseId: randomUUID(),
      warehouseCode,
      currentStock: '5',
    })),
    prices: [
      {
        ...common,
        exactId: randomUUID(),
        itemId: item,
        itemCode: `${tag}-ONLY`,
        price: '9.5',
        currency: 'EUR',
      },
      { ...common, exactId: randomUUID(), itemId: item, itemCode: 'SHARED', price: '1', accountId: customer },
    ],
    accounts: [
      { ...common, exactId: customer, code: `${tag}-CUST`, name: `${tag} customer` },
      { ...common, exactId: randomUUID(), code: 'SHARED', name: `${tag} shared` },
    ],
  };
  await db.insert(items).values(rows.items);
  await db.insert(stockPositions).values(rows.stock);
  await db.insert(salesItemPrices).values(rows.prices);
  await db.insert(accounts).values(rows.accounts);
  return Object.values(rows).flatMap((list) => list.map((r) => r.exactId));
}

async function placeOrder(key: string, reference: string, channel: 'b2b' | 'b2c'): Promise<string> {
  // A b2c order names its consumer: it goes on the channel's default account.
  const customer = channel === 'b2b' ? { code: 'B-CUST' } : { name: 'Ann Smith' };
  const res = await api.inject({
    method: 'POST',
    url: '/v1/orders',
    headers: { authorization: `Bearer ${key}` },
    payload: { reference, customer, lines: [{ sku: 'B-ONLY', quantity: '1' }] },
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json<{ id: string }>().id;
}

beforeAll(async () => {
  db = await createTestDatabase('api_tenants');
  api = await buildApp(testConfig({ DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }));
  shopA = await seedConnection(api);
  shopB = await seedConnection(api);
  await seedCatalog(shopA, 'A');
  for (const id of await seedCatalog(shopB, 'B')) ofB.add(id);
  for (const [channel, reference] of [
    ['b2b', 'B-100'],
    ['b2c', 'B-200'],
  ] as const) {
    ofB.add(await placeOrder(shopB.keys[channel], reference, channel));
  }
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
});

describe("a storefront key of connection A gets nothing of connection B's", () => {
  it('whose rows its own keys and the operator do see (so the checks below are not empty by accident)', async () => {
    for (const url of CATALOG) {
      const seen = idsIn((await as(shopB.keys.b2b, `${url}?updated_since=${EPOCH}`)).json());
      expect(seen.filter((id) => id && ofB.has(id)).length, url).toBeGreaterThan(0);
    }
    const all = idsIn((await api.inject({ url: '/v1/orders', headers: ADMIN })).json());
    expect(all.filter((id) => id && ofB.has(id))).toHaveLength(2);
  });

  it.each(['b2b', 'b2c'] as const)('in catalogue lists, filters and tombstones (%s key)', async (channel) => {
    const key = shopA.keys[channel];
    for (const url of CATALOG) {
      if (channel === 'b2c' && url === '/v1/accounts') {
        expect((await as(key, url)).statusCode).toBe(403);
        continue;
      }
      const by = codeFilter(url);
      for (const query of ['', `?updated_since=${EPOCH}`, `?${by}=B-ONLY`, `?${by}=SHARED`, '?limit=1000']) {
        const res = await as(key, `${url}${query}`);
        expect(res.statusCode, `${url}${query}`).toBe(200);
        expect(
          idsIn(res.json()).filter((id) => id && ofB.has(id)),
          `${url}${query}`,
        ).toEqual([]);
      }
      expect((await as(key, `${url}?${by}=B-ONLY`)).json().data, url).toEqual([]);
      const totals = (await as(key, `/v1/stock?updated_since=${EPOCH}`)).json().totals as {
        itemExactId: string;
      }[];
      expect(totals.filter((t) => ofB.has(t.itemExactId))).toEqual([]);
    }
  });

  it("when paging on with B's cursors", async () => {
    for (const url of CATALOG) {
      const cursor = (await as(shopB.keys.b2b, `${url}?updated_since=${EPOCH}&limit=1`)).json().nextCursor;
      expect(cursor, url).toEqual(expect.any(String));
      const res = await as(shopA.keys.b2b, `${url}?updated_since=${EPOCH}&cursor=${cursor}`);
      expect(
        idsIn(res.json()).filter((id) => id && ofB.has(id)),
        url,
      ).toEqual([]);
    }
  });

  it('in orders: by id, in the feed with any filter, and when replaying its references', async () => {
    const bOrders = idsIn((await api.inject({ url: '/v1/orders', headers: ADMIN })).json()).filter(
      (id): id is string => id !== undefined && ofB.has(id),
    );
    for (const channel of ['b2b', 'b2c'] as const) {
      const key = shopA.keys[channel];
      for (const id of bOrders) {
        const res = await as(key, `/v1/orders/${id}`);
        expect(res.statusCode).toBe(404);
        expect(res.json().error.code).toBe('not_found');
      }
      for (const query of ['', `?updated_since=${EPOCH}`, '?status=accepted', '?limit=1000']) {
        expect(idsIn((await as(key, `/v1/orders${query}`)).json()), query).toEqual([]);
      }
    }
    // The same reference in A is A's own new order, not an answer with B's.
    const replay = await api.inject({
      method: 'POST',
      url: '/v1/orders',
      headers: { authorization: `Bearer ${shopA.keys.b2b}` },
      payload: {
        reference: 'B-100',
        customer: { code: 'B-CUST' },
        lines: [{ sku: 'B-ONLY', quantity: '1' }],
      },
    });
    expect(replay.statusCode).toBe(202);
    expect(bOrders).not.toContain(replay.json().id);
  });

  it("nor does B's other channel see this channel's orders", async () => {
    const [b2bOrder] = idsIn((await as(shopB.keys.b2b, '/v1/orders')).json());
    expect(b2bOrder).toEqual(expect.any(String));
    expect((await as(shopB.keys.b2c, `/v1/orders/${b2bOrder}`)).statusCode).toBe(404);
    expect(idsIn((await as(shopB.keys.b2c, '/v1/orders')).json())).not.toContain(b2bOrder);
  });
});
