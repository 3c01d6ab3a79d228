import { randomUUID } from 'node:crypto';
import {
  accounts,
  items,
  priceListPeriods,
  salesItemPrices,
  vatCodes,
  vatPercentages,
  volumeDiscounts,
} from '@exact-sync/db';
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

// POST /v1/prices/quote against Postgres: each rule of the precedence through the route, the unit and VAT of a
// line, and who may quote for whom. The connection's Exact URL is a closed port: a quote that called Exact would fail.

let testDb: TestDatabase;
let api: FastifyInstance;
let shop: Awaited<ReturnType<typeof seedConnection>>;
let otherShop: Awaited<ReturnType<typeof seedConnection>>;
const prefix = uniqueName('quote');
const ADMIN = 'test-admin-token-0123456789';

const id = () => randomUUID();
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const LIST = id();
const GROUP = id();
const ON_LIST = { exactId: id(), code: 'C100' };
const OWN_PRICES = { exactId: id(), code: 'C200' };
const CONSUMERS = { exactId: id(), code: 'CONSUMERS' };
const WIDGET = id();
const BOXED = id();
const CURRENT = id();
const ENDED = id();
const CUSTOMER_PRICE = id();
const LIST_ROW = id();

async function seed(): Promise<void> {
  const { db } = api.database;
  const connectionId = shop.connectionId;
  const synced = { connectionId, timestamp: 1n };
  const list = { connectionId, rowHash: 'h' };
  await db.insert(accounts).values([
    {
      ...synced,
      ...ON_LIST,
      priceListId: LIST,
      discountSales: '0.1',
      salesVatCode: null,
      salesCurrency: 'EUR',
    },
    { ...synced, ...OWN_PRICES, salesCurrency: 'EUR' },
    { ...synced, ...CONSUMERS, salesVatCode: 'I21', salesCurrency: 'EUR' },
  ]);
  const item = { ...synced, unit: 'pc', itemGroupId: GROUP, salesVatCode: 'E21' };
  await db.insert(items).values([
    { ...item, exactId: WIDGET, code: 'WIDGET' },
    { ...item, exactId: BOXED, code: 'BOXED', itemGroupId: null },
    { ...item, exactId: id(), code: 'NOSALE', isSalesItem: false },
    { ...item, exactId: id(), code: 'ENDED', endDate: day('2024-12-31') },
  ]);
  const price = (itemId: string, itemCode: string, values: Partial<typeof salesItemPrices.$inferInsert>) => ({
    ...synced,
    exactId: id(),
    itemId,
    itemCode,
    currency: 'EUR',
    quantity: '0',
    unit: 'pc',
    numberOfItemsPerUnit: '1',
    defaultItemUnit: 'pc',
    ...values,
  });
  await db.insert(salesItemPrices).values([
    price(WIDGET, 'WIDGET', { price: '10' }),
    price(WIDGET, 'WIDGET', { price: '9', quantity: '10' }),
    // Ended: not live, never priced.
    price(WIDGET, 'WIDGET', { price: '1', endDate: day('2024-12-31') }),
    { ...price(WIDGET, 'WIDGET', { price: '7', accountId: OWN_PRICES.exactId }), exactId: CUSTOMER_PRICE },
    price(BOXED, 'BOXED', { price: '2' }),
    price(BOXED, 'BOXED', { price: '21.6', unit: 'box', numberOfItemsPerUnit: '12' }),
  ]);
  await db.insert(priceListPeriods).values([
    {
      ...list,
      exactId: ENDED,
      priceListId: LIST,
      startDate: day('2023-01-01'),
      endDate: day('2024-12-31'),
      type: 1,
    },
    { ...list, exactId: CURRENT, priceListId: LIST, startDate: day('2025-01-01'), type: 1, currency: 'EUR' },
  ]);
  const discount = { ...list, itemId: WIDGET, itemCode: 'WIDGET', entryMethod: 2 };
  await db.insert(volumeDiscounts).values([
    { ...discount, exactId: id(), priceListPeriodId: ENDED, newPrice: '6', quantity: '1' },
    { ...discount, exactId: LIST_ROW, priceListPeriodId: CURRENT, newPrice: '8.5', quantity: '5' },
  ]);
  const [e21, i21] = [id(), id()];
  await db.insert(vatCodes).values([
    { ...list, exactId: e21, code: 'E21', type: 'E', percentage: '0.19' },
    { ...list, exactId: i21, code: 'I21', type: 'I', percentage: '0.21' },
  ]);
  // E21's own percentage is stale: the dated row valid on the day counts.
  await db
    .insert(vatPercentages)
    .values([
      { ...list, exactId: id(), vatCodeId: e21, percentage: '0.21', startDate: day('2020-01-01'), type: 0 },
    ]);
}

const quote = (body: unknown, key: string = shop.keys.b2b) =>
  api.inject({
    method: 'POST',
    url: '/v1/prices/quote',
    headers: { authorization: `Bearer ${key}` },
    payload: body as Record<string, unknown>,
  });

interface Line {
  rule: string;
  unitPrice: string | null;
  matched: Array<{ rule: string; unitPrice: string; sourceExactId: string }>;
  [field: string]: unknown;
}
const lines = (res: { json: () => unknown }) => (res.json() as { lines: Line[] }).lines;

beforeAll(async () => {
  testDb = await createTestDatabase('api_quote');
  api = await buildApp(
    testConfig({ DATABASE_URL: testDb.url, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix }),
  );
  shop = await seedConnection(api);
  otherShop = await seedConnection(api);
  await seed();
});

afterAll(async () => {
  await api?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await testDb?.drop();
});

describe('POST /v1/prices/quote', () => {
  it('prices a price-list customer by period and quantity break, with VAT, and lists the other rules', async () => {
    const res = await quote({
      customer: { code: 'C100' },
      date: '2025-03-01',
      lines: [
        { sku: 'WIDGET', quantity: '5' },
        { sku: 'WIDGET', quantity: '2' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const [listed, below] = lines(res);
    expect(listed).toMatchObject({
      sku: 'WIDGET',
      quantity: '5',
      unitCode: 'pc',
      rule: 'price_list',
      unitPrice: '8.5',
      basePrice: '10',
      currency: 'EUR',
      vatCode: 'E21',
      vatPercentage: '21',
      pricesIncludeVat: false,
      unitPriceExclVat: '8.5',
      unitPriceInclVat: '10.285',
      amountExclVat: '42.5',
      vatAmount: '8.93',
      amountInclVat: '51.43',
    });
    expect(listed?.matched).toEqual([
      expect.objectContaining({
        rule: 'price_list',
        unitPrice: '8.5',
        sourceExactId: LIST_ROW,
        quantityBreak: '5',
      }),
      expect.objectContaining({ rule: 'account_discount', unitPrice: '9', source: 'sales_item_price' }),
    ]);
    // Below the list's break of 5, the general price less the account's 10 %.
    expect(below).toMatchObject({ rule: 'account_discount', unitPrice: '9', amountExclVat: '18' });
    // In the ended period's time, its row applies (and the price that ended then is still live then).
    const [earlier] = lines(
      await quote({
        customer: { code: 'C100' },
        date: '2024-06-01',
        lines: [{ sku: 'WIDGET', quantity: '5' }],
      }),
    );
    expect(earlier).toMatchObject({ rule: 'price_list', unitPrice: '6' });
  });

  it("gives a customer their own price, and the general price's quantity break to others", async () => {
    const [own] = lines(
      await quote({
        customer: { exactId: OWN_PRICES.exactId },
        date: '2025-03-01',
        lines: [{ sku: 'WIDGET', quantity: '12' }],
      }),
    );
    expect(own).toMatchObject({ rule: 'customer_price', unitPrice: '7', amountExclVat: '84' });
    expect(own?.matched.map((m) => [m.rule, m.unitPrice, m.sourceExactId])).toEqual([
      ['customer_price', '7', CUSTOMER_PRICE],
      ['general_price', '9', expect.any(String)],
    ]);
  });

  it('prices a box of 12 at its own price, and tells the unit factor', async () => {
    const res = await quote({
      customer: { code: 'C200' },
      lines: [
        { sku: 'BOXED', quantity: '2', unitCode: 'box' },
        { sku: 'BOXED', quantity: '3' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const [boxes, pieces] = lines(res);
    expect(boxes).toMatchObject({
      unitCode: 'box',
      itemUnitCode: 'pc',
      itemsPerUnit: '12',
      unitPrice: '21.6',
      amountExclVat: '43.2',
    });
    expect(pieces).toMatchObject({ unitCode: 'pc', itemsPerUnit: '1', unitPrice: '2', amountExclVat: '6' });
  });

  it("quotes a b2c key for its channel's default account, and refuses another customer with 422", async () => {
    const res = await quote({ date: '2025-03-01', lines: [{ sku: 'WIDGET', quantity: '1' }] }, shop.keys.b2c);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ customer: CONSUMERS, date: '2025-03-01' });
    // The consumers' VAT code includes VAT: the price of 10 holds 1.74 of it. The ended price of 1 is not live.
    expect(lines(res)[0]).toMatchObject({
      rule: 'general_price',
      unitPrice: '10',
      vatCode: 'I21',
      pricesIncludeVat: true,
      unitPriceExclVat: '8.2645',
      unitPriceInclVat: '10',
      amountExclVat: '8.26',
      vatAmount: '1.74',
      amountInclVat: '10',
    });
    const named = await quote(
      { customer: { code: 'CONSUMERS' }, lines: [{ sku: 'WIDGET', quantity: '1' }] },
      shop.keys.b2c,
    );
    expect(named.statusCode).toBe(200);
    for (const customer of [{ code: 'C100' }, { exactId: ON_LIST.exactId }]) {
      const refused = await quote({ customer, lines: [{ sku: 'WIDGET', quantity: '1' }] }, shop.keys.b2c);
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ error: { code: 'customer_not_allowed' } });
    }
  });

  it('lets the operator quote for any customer of a connection it names', async () => {
    const body = {
      customer: { code: 'C100' },
      date: '2025-03-01',
      lines: [{ sku: 'WIDGET', quantity: '5' }],
    };
    const res = await quote({ ...body, connectionId: shop.connectionId }, ADMIN);
    expect(res.statusCode, res.body).toBe(200);
    expect(lines(res)[0]?.unitPrice).toBe('8.5');
    const unnamed = await quote(body, ADMIN);
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json()).toMatchObject({ error: { details: [{ field: 'body.connectionId' }] } });
    const byKey = await quote({ ...body, connectionId: shop.connectionId });
    expect(byKey.json()).toMatchObject({ error: { details: [{ field: 'body.connectionId' }] } });
  });

  it('refuses every bad line at once with a 400 naming each field', async () => {
    const res = await quote({
      customer: { code: 'C100' },
      date: '2025-03-01',
      lines: [
        { sku: 'WIDGET', quantity: '1' },
        { sku: 'NOPE', quantity: '1' },
        { sku: 'NOSALE', quantity: '1' },
        { sku: 'ENDED', quantity: '1' },
        { sku: 'WIDGET', quantity: '1', unitCode: 'pallet' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: [
          { field: 'body.lines.1.sku', message: 'no synced item has this code' },
          { field: 'body.lines.2.sku', message: expect.stringContaining('not a sales item') },
          { field: 'body.lines.3.sku', message: expect.stringContaining('no longer sold on 2025-03-01') },
          { field: 'body.lines.4.unitCode', message: expect.stringContaining('its units: pc') },
        ],
      },
    });
    const fine = await quote({ customer: { code: 'C100' }, lines: [{ sku: 'W', quantity: '1.23456' }] });
    expect(fine.json()).toMatchObject({ error: { details: [{ field: 'body.lines.0.quantity' }] } });
    const nobody = await quote({ lines: [{ sku: 'WIDGET', quantity: '1' }] });
    expect(nobody.json()).toMatchObject({ error: { details: [{ field: 'body.customer' }] } });
    const unknown = await quote({ customer: { code: 'C999' }, lines: [{ sku: 'WIDGET', quantity: '1' }] });
    expect(unknown.json()).toMatchObject({ error: { details: [{ field: 'body.customer.code' }] } });
  });

  it("never prices another connection's data", async () => {
    const res = await quote(
      { customer: { code: 'C100' }, lines: [{ sku: 'WIDGET', quantity: '1' }] },
      otherShop.keys.b2b,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { details: [{ field: 'body.customer.code' }] } });
  });
});
