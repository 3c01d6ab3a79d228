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
import { buildApp, seedConnection, testConfig } from './helpers.ts';

let testDb: TestDatabase;
let api: FastifyInstance;
let shopA: Awaited<ReturnType<typeof seedConnection>>;
let shopB: Awaited<ReturnType<typeof seedConnection>>;
const prefix = uniqueName('catalog');

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const EPOCH = '1970-01-01T00:00:00.000Z';
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const id = () => randomUUID();
const byFeedOrder = (a: { updatedAt: Date; exactId: string }, b: { updatedAt: Date; exactId: string }) =>
  a.updatedAt.getTime() - b.updatedAt.getTime() || (a.exactId < b.exactId ? -1 : 1);

// Shop A: 23 live items, several sharing one updatedAt so pages split inside a tie, and 2 deleted ones.
const liveItems = Array.from({ length: 23 }, (_, i) => ({
  exactId: id(),
  code: `SKU-${String(i).padStart(2, '0')}`,
  updatedAt: at(i < 9 ? 5 : i),
}));
const deletedItem = { exactId: id(), code: 'GONE-1', updatedAt: at(100), deletedAt: at(100) };
const oldDeletedItem = { exactId: id(), code: 'GONE-0', updatedAt: at(1), deletedAt: at(1) };

const WIDGET = id();
const EMPTIED = id();
const CUSTOMER = id();
const ENDED_PRICE = id();
/** The b2c channel's default account (`seedConnection` sets CONSUMERS), with a price of its own. */
const CONSUMERS = id();
// A webshop item with stock and prices, and an item that is not for sale (changed after everything else).
const widgetItem = {
  exactId: WIDGET,
  code: 'WIDGET',
  description: 'Blue Widget 50%',
  isWebshopItem: true,
  updatedAt: at(200),
};
const notForSale = { exactId: id(), code: 'NOSALE', isSalesItem: false, updatedAt: at(201) };
// Ended in Exact on 2026-03-01.
const endedItem = { exactId: id(), code: 'ENDED-1', endDate: at(60), updatedAt: at(202) };

async function seed(): Promise<void> {
  const { db } = api.database;
  const a = shopA.connectionId;
  const common = { timestamp: 1n, modified: at(0) };
  await db
    .insert(items)
    .values([
      ...liveItems.map((r) => ({ ...common, ...r, connectionId: a, costPrice: '12.3400', barcode: null })),
      { ...common, ...deletedItem, connectionId: a },
      { ...common, ...oldDeletedItem, connectionId: a },
      { ...common, ...widgetItem, connectionId: a },
      { ...common, ...notForSale, connectionId: a },
      { ...common, ...endedItem, connectionId: a },
      { ...common, exactId: id(), code: 'SKU-00', connectionId: shopB.connectionId, updatedAt: at(3) },
    ]);
  const stock = (itemId: string, itemCode: string, warehouse: string, current: string, extra = {}) => ({
    ...common,
    connectionId: a,
    exactId: id(),
    itemId,
    itemCode,
    warehouseId: id(),
    warehouseCode: warehouse,
    currentStock: current,
    freeStock: current,
    planningIn: '1',
    planningOut: '0.5',
    projectedStock: current,
    reservedStock: '0',
    ...extra,
  });
  await db
    .insert(stockPositions)
    .values([
      stock(WIDGET, 'WIDGET', 'AMS', '10.5', { updatedAt: at(10) }),
      stock(WIDGET, 'WIDGET', 'RTM', '4', { updatedAt: at(20) }),
      stock(WIDGET, 'WIDGET', 'OLD', '1000', { updatedAt: at(30), deletedAt: at(30) }),
      stock(EMPTIED, 'EMPTIED', 'AMS', '7', { updatedAt: at(40), deletedAt: at(40) }),
    ]);
  await db.insert(accounts).values([
    {
      ...common,
      connectionId: a,
      exactId: CUSTOMER,
      code: 'C100',
      name: 'Bakker BV',
      blocked: false,
      status: 'C',
    },
    { ...common, connectionId: shopB.connectionId, exactId: id(), code: 'C100', name: 'Other shop' },
    { ...common, connectionId: a, exactId: CONSUMERS, code: 'CONSUMERS', name: 'Web shop consumers' },
  ]);
  const price = {
    ...common,
    connectionId: a,
    itemId: WIDGET,
    itemCode: 'WIDGET',
    currency: 'EUR',
    unit: 'pc',
  };
  await db.insert(salesItemPrices).values([
    { ...price, exactId: id(), price: '19.95', quantity: '1', updatedAt: at(1) },
    {
      ...price,
      exactId: id(),
      accountId: CUSTOMER,
      price: '17.5',
      quantity: '10',
      startDate: at(0),
      updatedAt: at(2),
    },
    { ...price, exactId: id(), accountId: id(), price: '16', quantity: '1', updatedAt: at(3) },
    // Ended on 2026-03-01: no longer live.
    { ...price, exactId: ENDED_PRICE, price: '21', quantity: '1', endDate: at(60), updatedAt: at(4) },
    { ...price, exactId: id(), accountId: CONSUMERS, price: '18', quantity: '1', updatedAt: at(5) },
  ]);
}

const get = (url: string, key = shopA.keys.b2b) =>
  api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });

beforeAll(async () => {
  testDb = await createTestDatabase('api_catalog');
  api = await buildApp(
    testConfig({ DATABASE_URL: testDb.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }),
  );
  shopA = await seedConnection(api);
  shopB = await seedConnection(api);
  await seed();
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await testDb?.drop();
});

describe('GET /v1/items', () => {
  it('pages through every live item exactly once, in (updatedAt, id) order, across ties', async () => {
    const seen: string[] = [];
    let url = '/v1/items?limit=4';
    for (let pages = 0; pages < 20; pages++) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.data.length).toBeLessThanOrEqual(4);
      seen.push(...body.data.map((row: { exactId: string }) => row.exactId));
      if (body.nextCursor === null) break;
      url = `/v1/items?limit=4&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(seen).toEqual([...liveItems, widgetItem].sort(byFeedOrder).map((r) => r.exactId));
  });

  it('answers camelCase JSON with decimal strings and ISO times, never the cost price, and filters by sku within the key’s connection', async () => {
    const item = liveItems[0];
    const res = await get('/v1/items?sku=SKU-00');
    expect(res.json()).toEqual({
      data: [
        {
          exactId: item?.exactId,
          sku: 'SKU-00',
          name: null,
          unitCode: null,
          isSalesItem: true,
          isWebshopItem: null,
          barcode: null,
          endDate: null,
          ended: false,
          exactModifiedAt: '2026-03-01T10:00:00.000Z',
          updatedAt: '2026-03-01T10:00:05.000Z',
          deleted: false,
          deletedAt: null,
        },
      ],
      nextCursor: null,
    });
    const other = await get('/v1/items', shopB.keys.b2b);
    expect(other.json().data.map((r: { sku: string }) => r.sku)).toEqual(['SKU-00']);
    expect(other.json().data[0].exactId).not.toBe(item?.exactId);
  });

  it('leaves tombstones out of plain listings and returns them to updated_since pulls', async () => {
    const plain = await get('/v1/items?limit=1000');
    expect(plain.json().data.some((r: { deleted: boolean }) => r.deleted)).toBe(false);

    const since = await get(`/v1/items?updated_since=${encodeURIComponent('2026-03-01T11:00:20+01:00')}`);
    const rows = since.json().data as {
      exactId: string;
      sku: string;
      deleted: boolean;
      deletedAt: string | null;
    }[];
    expect(rows.map((r) => r.sku)).toEqual(['SKU-21', 'SKU-22', 'GONE-1', 'WIDGET', 'NOSALE', 'ENDED-1']);
    expect(rows.find((r) => r.sku === 'GONE-1')).toMatchObject({
      exactId: deletedItem.exactId,
      deleted: true,
      deletedAt: '2026-03-01T10:01:40.000Z',
      updatedAt: '2026-03-01T10:01:40.000Z',
    });
  });

  it('refuses a bad request with 400 naming the parameter, and a missing key with 401', async () => {
    const cases: [string, string][] = [
      ['/v1/items?cursor=not-a-cursor', 'querystring.cursor'],
      [
        `/v1/items?cursor=${Buffer.from('2026-01-01T00:00:00Z|42').toString('base64url')}`,
        'querystring.cursor',
      ],
      ['/v1/items?limit=0', 'querystring.limit'],
      ['/v1/items?limit=1001', 'querystring.limit'],
      ['/v1/items?updated_since=yesterday', 'querystring.updated_since'],
      ['/v1/items?colour=red', 'unknown parameter "colour"'],
    ];
    for (const [url, field] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(res.json().error.message, url).toContain(field);
    }
    const anonymous = await api.inject({ method: 'GET', url: '/v1/items' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('GET /v1/items: the reads a product page needs', () => {
  const skus = (res: { json(): { data: { sku: string }[] } }) =>
    res
      .json()
      .data.map((r) => r.sku)
      .sort();

  it('takes several SKUs, the webshop flag and a text search on code and name', async () => {
    expect(skus(await get('/v1/items?sku=SKU-01,SKU-02,WIDGET,NO-SUCH'))).toEqual([
      'SKU-01',
      'SKU-02',
      'WIDGET',
    ]);
    expect(skus(await get('/v1/items?webshop=true'))).toEqual(['WIDGET']);
    expect(skus(await get('/v1/items?webshop=false&limit=1000'))).toHaveLength(23);
    expect(skus(await get('/v1/items?q=blue%20widget'))).toEqual(['WIDGET']);
    expect(skus(await get('/v1/items?q=sku-0'))).toEqual(liveItems.slice(0, 10).map((r) => r.code));
    // `%` and `_` are taken literally, not as patterns.
    expect(skus(await get('/v1/items?q=50%25'))).toEqual(['WIDGET']);
    expect(skus(await get('/v1/items?q=SKU_0'))).toEqual([]);
  });

  it('leaves items that are not for sale out unless asked for, marked when listed', async () => {
    expect(skus(await get('/v1/items?limit=1000'))).not.toContain('NOSALE');
    const asked = await get('/v1/items?include=not_for_sale&sku=NOSALE');
    expect(asked.json().data).toEqual([expect.objectContaining({ sku: 'NOSALE', isSalesItem: false })]);
    const pulled = await get(`/v1/items?updated_since=${encodeURIComponent('2026-03-01T10:03:00Z')}`);
    expect(pulled.json().data).toEqual([
      expect.objectContaining({ sku: 'WIDGET' }),
      expect.objectContaining({ sku: 'NOSALE', isSalesItem: false }),
      expect.objectContaining({ sku: 'ENDED-1', ended: true }),
    ]);
  });

  it('leaves items that Exact ended out unless asked for, marked when listed', async () => {
    expect(skus(await get('/v1/items?limit=1000'))).not.toContain('ENDED-1');
    const asked = await get('/v1/items?include=ended,not_for_sale&sku=ENDED-1,NOSALE');
    expect(asked.json().data).toEqual([
      expect.objectContaining({ sku: 'NOSALE', ended: false }),
      expect.objectContaining({ sku: 'ENDED-1', ended: true, endDate: '2026-03-01T10:01:00.000Z' }),
    ]);
    expect((await get('/v1/items/ENDED-1')).json()).toMatchObject({ sku: 'ENDED-1', ended: true });
  });

  it('expands items with their stock per warehouse and their live prices, for a customer too', async () => {
    const res = await get('/v1/items/WIDGET?expand=stock,price&customer=C100');
    expect(res.statusCode).toBe(200);
    const item = res.json();
    expect(item).toMatchObject({ sku: 'WIDGET', name: 'Blue Widget 50%', isWebshopItem: true });
    expect(item).not.toHaveProperty('costPrice');
    expect(item.stock).toMatchObject({ warehouses: 2, currentStock: '14.5', planningOut: '1' });
    expect(
      item.stock.byWarehouse.map((w: { warehouseCode: string; currentStock: string }) => [
        w.warehouseCode,
        w.currentStock,
      ]),
    ).toEqual([
      ['AMS', '10.5'],
      ['RTM', '4'],
    ]);
    // The general price and C100's own; not another customer's, not the ended one.
    expect(
      item.prices.map((p: { price: string; customerCode: string | null; live: boolean }) => [
        p.price,
        p.customerCode,
        p.live,
      ]),
    ).toEqual([
      ['19.95', null, true],
      ['17.5', 'C100', true],
    ]);
    const general = (await get('/v1/items/WIDGET?expand=price')).json();
    expect(general.prices.map((p: { price: string }) => p.price)).toEqual(['19.95']);
    expect(general).not.toHaveProperty('stock');
  });

  it('gives every item of a page its stock totals, zeros when it has no stock rows, in one call', async () => {
    const res = await get('/v1/items?sku=SKU-00,WIDGET&expand=stock');
    const bySku = Object.fromEntries(
      res.json().data.map((r: { sku: string; stock: unknown }) => [r.sku, r.stock]),
    );
    expect(bySku['SKU-00']).toEqual({
      warehouses: 0,
      currentStock: '0',
      freeStock: '0',
      planningIn: '0',
      planningOut: '0',
      projectedStock: '0',
      reservedStock: '0',
      byWarehouse: [],
    });
    expect(bySku.WIDGET).toMatchObject({ warehouses: 2, currentStock: '14.5' });
  });

  it('answers one item by code, not-for-sale ones too, and 404 for none', async () => {
    expect((await get('/v1/items/NOSALE')).json()).toMatchObject({ sku: 'NOSALE', isSalesItem: false });
    const none = await get('/v1/items/NO-SUCH');
    expect(none.statusCode).toBe(404);
    expect((await get('/v1/items/GONE-1')).statusCode).toBe(404);
    expect((await get('/v1/items/SKU-00', shopB.keys.b2b)).json().exactId).not.toBe(liveItems[0]?.exactId);
  });

  it('refuses bad filters and expansions, naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/v1/items?webshop=yes', 'querystring.webshop'],
      ['/v1/items?expand=stock,colour', 'querystring.expand'],
      ['/v1/items?include=everything', 'querystring.include'],
      ['/v1/items?customer=C100', 'querystring.customer'],
      ['/v1/items?expand=price&customer=NO-SUCH', 'querystring.customer'],
      [`/v1/items?sku=${Array.from({ length: 101 }, (_, i) => `S${i}`).join(',')}`, 'querystring.sku'],
      ['/v1/items?sku=A,,B', 'querystring.sku'],
      ['/v1/prices?include=future', 'querystring.include'],
    ];
    for (const [url, field] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message, url).toContain(field);
    }
  });
});

describe('GET /v1/stock', () => {
  it('lists live warehouse rows with per-item totals over all live warehouses, whatever the page', async () => {
    const res = await get('/v1/stock?sku=WIDGET&limit=1');
    const body = res.json();
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ sku: 'WIDGET', warehouseCode: 'AMS', currentStock: '10.5' });
    expect(body.totals).toEqual([
      {
        itemExactId: WIDGET,
        sku: 'WIDGET',
        warehouses: 2,
        currentStock: '14.5',
        freeStock: '14.5',
        planningIn: '2',
        planningOut: '1',
        projectedStock: '14.5',
        reservedStock: '0',
      },
    ]);
    const next = await get(`/v1/stock?sku=WIDGET&limit=1&cursor=${body.nextCursor}`);
    expect(next.json().data[0].warehouseCode).toBe('RTM');
    expect(next.json().nextCursor).toBeNull();
  });

  it('gives an item whose every warehouse was deleted zero totals in an updated_since pull', async () => {
    const res = await get('/v1/stock?updated_since=2026-03-01T10:00:25Z');
    const body = res.json();
    expect(
      body.data.map((r: { warehouseCode: string; deleted: boolean }) => [r.warehouseCode, r.deleted]),
    ).toEqual([
      ['OLD', true],
      ['AMS', true],
    ]);
    expect(body.totals).toEqual([
      expect.objectContaining({ sku: 'WIDGET', warehouses: 2, currentStock: '14.5' }),
      expect.objectContaining({ sku: 'EMPTIED', warehouses: 0, currentStock: '0', freeStock: '0' }),
    ]);
  });
});

describe('GET /v1/prices and /v1/accounts', () => {
  it('carries currency, unit, quantity, dates and the customer of customer-specific prices', async () => {
    const res = await get('/v1/prices?sku=WIDGET');
    const rows = res.json().data;
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({
      price: '19.95',
      currency: 'EUR',
      unitCode: 'pc',
      accountExactId: null,
      customerCode: null,
    });
    expect(rows[1]).toMatchObject({
      price: '17.5',
      quantity: '10',
      accountExactId: CUSTOMER,
      customerCode: 'C100',
      startDate: '2026-03-01T10:00:00.000Z',
      endDate: null,
    });
    // A customer this service has not synced (yet): the id is known, the code is not.
    expect(rows[2]).toMatchObject({ price: '16', customerCode: null });
    expect(rows[2].accountExactId).toEqual(expect.any(String));
  });

  it('lists prices whose endDate has passed only when asked for, marked as not live', async () => {
    const plain = (await get('/v1/prices?sku=WIDGET')).json().data as { exactId: string; live: boolean }[];
    expect(plain.map((r) => r.exactId)).not.toContain(ENDED_PRICE);
    expect(plain.every((r) => r.live)).toBe(true);
    const asked = (await get('/v1/prices?sku=WIDGET&include=ended')).json().data as {
      exactId: string;
      live: boolean;
    }[];
    expect(asked.find((r) => r.exactId === ENDED_PRICE)).toMatchObject({
      live: false,
      endDate: '2026-03-01T10:01:00.000Z',
    });
    const pulled = (await get(`/v1/prices?updated_since=${EPOCH}`)).json().data as {
      exactId: string;
      live: boolean;
    }[];
    expect(pulled.find((r) => r.exactId === ENDED_PRICE)).toMatchObject({ live: false });
  });

  it('finds an account by its trimmed code, only in the key’s own connection', async () => {
    const res = await get(`/v1/accounts?code=${encodeURIComponent(' C100 ')}`);
    expect(res.json().data).toEqual([
      expect.objectContaining({
        exactId: CUSTOMER,
        code: 'C100',
        name: 'Bakker BV',
        status: 'customer',
        statusCode: 'C',
        blocked: false,
        deleted: false,
      }),
    ]);
    const other = await get('/v1/accounts?code=C100', shopB.keys.b2b);
    expect(other.json().data.map((r: { name: string }) => r.name)).toEqual(['Other shop']);
  });
});

describe('a b2c key, scoped to its channel', () => {
  const b2c = (url: string) => get(url, shopA.keys.b2c);
  const prices = (rows: { price: string; customerCode: string | null }[]) =>
    rows.map((r) => [r.price, r.customerCode]);

  it('reads no account list', async () => {
    for (const url of ['/v1/accounts', '/v1/accounts?code=C100', `/v1/accounts?updated_since=${EPOCH}`]) {
      const res = await b2c(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
  });

  it("sees general prices and its default account's, never another customer's", async () => {
    const expected = [
      ['19.95', null],
      ['18', 'CONSUMERS'],
    ];
    expect(prices((await b2c('/v1/prices?sku=WIDGET')).json().data)).toEqual(expected);
    const pulled = (await b2c(`/v1/prices?updated_since=${EPOCH}`)).json().data;
    expect(pulled.map((r: { accountExactId: string | null }) => r.accountExactId).filter(Boolean)).toEqual([
      CONSUMERS,
    ]);
    expect(prices((await b2c('/v1/items/WIDGET?expand=price')).json().prices)).toEqual(expected);
    expect(prices((await b2c('/v1/items/WIDGET?expand=price&customer=CONSUMERS')).json().prices)).toEqual(
      expected,
    );
    const other = await b2c('/v1/items?expand=price&customer=C100');
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('forbidden');
  });
});
