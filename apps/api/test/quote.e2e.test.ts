import {
  createTestDatabase,
  deleteRedisKeys,
  onboard,
  type Stack,
  startStack,
  storefrontKey,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Simulator → sync → quote, through real processes: a B2B customer on a price list gets the list's price at the
// quantity break reached in the period valid on the day, the same price the simulator books for that order line;
// a price per box of 12 gives quantity × the box price. (The second test uses the connection the first made.)

const DIVISION = 100001;
const TODAY = '2025-03-01';
const LAST_YEAR = '2024-06-01';

type SimRecord = Record<string, unknown>;

let db: TestDatabase;
let key = '';
let stack: Stack;
const prefix = uniqueName('quote_e2e');

beforeAll(async () => {
  db = await createTestDatabase('quote_e2e');
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: testRedisUrl(),
    redisPrefix: prefix,
    simEnv: { SIM_ITEMS: '300', SIM_ACCOUNTS: '60' },
  });
});

afterAll(async () => {
  await stack?.stop();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

const ms = (edm: unknown): number | null => {
  const match = /\/Date\((-?\d+)\)\//.exec(String(edm));
  return match ? Number(match[1]) : null;
};
const on = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const DAY = 86_400_000;
const validOn = (r: SimRecord, day: number) => {
  const [from, to] = [ms(r.StartDate), ms(r.EndDate)];
  return (from === null || from <= day) && (to === null || day < to + DAY);
};

/** A list customer, an item of its list with a break at 10 in the basic period valid today, and those rows. */
async function listCase() {
  const sim = stack.simControl;
  const [accounts, items, prices, periods, discounts] = await Promise.all([
    sim.dataset(DIVISION, 'accounts'),
    sim.dataset(DIVISION, 'items'),
    sim.dataset(DIVISION, 'prices'),
    sim.dataset(DIVISION, 'priceListPeriods'),
    sim.dataset(DIVISION, 'volumeDiscounts'),
  ]);
  const forSale = (id: unknown) =>
    items.find(
      (i) => i.ID === id && i.IsSalesItem === true && validOn(i, on(LAST_YEAR)) && validOn(i, on(TODAY)),
    );
  // Basic periods only on both days (no special offer covers them), so the rows below are the ones that apply.
  const basic = (day: string) => periods.filter((p) => p.Type === 1 && validOn(p, on(day)));
  for (const period of basic(TODAY)) {
    const earlier = basic(LAST_YEAR).find((p) => p.PriceList === period.PriceList);
    const customer = accounts.find((a) => a.PriceList === period.PriceList && a.Blocked !== true);
    if (!earlier || !customer) continue;
    for (const row of discounts.filter((d) => d.PriceListPeriod === period.ID && d.Quantity === 10)) {
      const item = forSale(row.Item);
      const own = prices.some((p) => p.Item === row.Item && p.Account === customer.ID);
      const first = discounts.find(
        (d) => d.PriceListPeriod === period.ID && d.Item === row.Item && d.Quantity === 1,
      );
      const before = discounts.find(
        (d) => d.PriceListPeriod === earlier.ID && d.Item === row.Item && d.Quantity === 1,
      );
      if (item && !own && first && before) return { customer, item, row, first, before };
    }
  }
  throw new Error('the simulated division has no price-list customer with a break at 10');
}

/** An item with a general price per box of 12 valid today, and that row. */
async function boxCase() {
  const [items, prices] = await Promise.all([
    stack.simControl.dataset(DIVISION, 'items'),
    stack.simControl.dataset(DIVISION, 'prices'),
  ]);
  for (const box of prices) {
    const item = items.find((i) => i.ID === box.Item && i.IsSalesItem === true && validOn(i, on(TODAY)));
    if (
      item &&
      box.Account === null &&
      box.NumberOfItemsPerUnit === 12 &&
      box.Quantity === 0 &&
      validOn(box, on(TODAY))
    )
      return { item, box };
  }
  throw new Error('the simulated division has no price per box of 12');
}

interface QuotedLine {
  rule: string;
  unitPrice: string | null;
  unitCode: string;
  itemsPerUnit: string;
  amountExclVat: string | null;
  matched: Array<{ rule: string; sourceExactId: string }>;
}

describe('a quote from synced data', () => {
  it('gives a price-list customer the list price by break and period, the price Exact books', async () => {
    const id = await onboard(stack, { division: DIVISION });
    key = await storefrontKey(stack, id, 'b2b');
    const { customer, item, row, first, before } = await listCase();
    const code = String(customer.Code).trim();
    const sku = String(item.Code);
    const quote = async (date: string, quantity: string) => {
      const res = await stack.call('POST', '/v1/prices/quote', {
        token: key,
        body: { customer: { code }, date, lines: [{ sku, quantity }] },
      });
      return { status: res.status, line: (res.body as { lines?: QuotedLine[] }).lines?.[0] };
    };
    // Items, prices and accounts come through their sync endpoints, price lists through the daily list read: all of
    // them in whole before quoting (a price row still on its way would leave a period without its base price).
    await waitFor(
      'the catalogue and the price lists synced',
      async () => {
        const body = (await stack.call('GET', `/v1/connections/${id}/status`)).body as {
          entities?: Record<string, { phase: string }>;
          lists?: Record<string, { phase: string }>;
        };
        const ready = (phase: string | undefined) => phase === 'incremental';
        return (
          ['items', 'prices', 'accounts'].every((e) => ready(body.entities?.[e]?.phase)) &&
          ['priceLists', 'priceListPeriods', 'volumeDiscounts'].every((l) => ready(body.lists?.[l]?.phase))
        );
      },
      120_000,
    );
    await waitFor(
      'the price list synced',
      async () => (await quote(TODAY, '10')).line?.rule === 'price_list',
      120_000,
    );

    const ten = (await quote(TODAY, '10')).line;
    const one = (await quote(TODAY, '1')).line;
    const lastYear = (await quote(LAST_YEAR, '1')).line;
    expect(ten?.matched[0]?.sourceExactId).toBe(row.ID);
    expect(one?.matched[0]?.sourceExactId).toBe(first.ID);
    expect(lastYear?.matched[0]?.sourceExactId).toBe(before.ID);
    if (row.EntryMethod === 2) expect(ten?.unitPrice).toBe(String(row.NewPrice));
    expect(ten?.unitPrice).not.toBe(one?.unitPrice);
    expect(one?.unitPrice).not.toBe(lastYear?.unitPrice);

    // The same lines as orders without a price: the simulator prices them by its own precedence.
    const placed: Array<[string, string, string | null | undefined]> = [];
    for (const [reference, date, quantity, line] of [
      ['Q-TEN', TODAY, '10', ten],
      ['Q-ONE', TODAY, '1', one],
      ['Q-LAST-YEAR', LAST_YEAR, '1', lastYear],
    ] as const) {
      const res = await stack.call('POST', '/v1/orders', {
        token: key,
        body: { reference, customer: { code }, orderDate: date, lines: [{ sku, quantity }] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      placed.push([reference, (res.body as { id: string }).id, line?.unitPrice]);
    }
    for (const [reference, orderId] of placed) {
      await waitFor(`order ${reference} in Exact`, async () => {
        const order = (await stack.call('GET', `/v1/orders/${orderId}`, { token: key })).body as {
          status: string;
        };
        return order.status === 'submitted';
      });
    }
    const booked = (await stack.simControl.orders(DIVISION)).data;
    for (const [reference, , unitPrice] of placed) {
      const order = booked.find((o) => String(o.YourRef).endsWith(reference));
      const lines = order?.lines as Array<Record<string, unknown>> | undefined;
      expect(lines?.[0], reference).toMatchObject({ priceSource: 'price-list', NetPrice: Number(unitPrice) });
    }
  });

  it('prices a box of 12 at the box price', async () => {
    const { item, box } = await boxCase();
    const accounts = await stack.simControl.dataset(DIVISION, 'accounts');
    const prices = await stack.simControl.dataset(DIVISION, 'prices');
    // A customer with no list, no discount and no price of its own for this item: the general box price applies.
    const customer = accounts.find(
      (a) =>
        a.PriceList === null &&
        !a.DiscountSales &&
        a.Blocked !== true &&
        !prices.some((p) => p.Item === item.ID && p.Account === a.ID),
    );
    if (!customer) throw new Error('no customer without a price list and discount');
    let line: QuotedLine | undefined;
    await waitFor('the box price synced', async () => {
      const res = await stack.call('POST', '/v1/prices/quote', {
        token: key,
        body: {
          customer: { code: String(customer.Code).trim() },
          date: TODAY,
          lines: [{ sku: String(item.Code), quantity: '3', unitCode: String(box.Unit) }],
        },
      });
      line = (res.body as { lines?: QuotedLine[] }).lines?.[0];
      return res.status === 200;
    });
    const price = Number(box.Price);
    expect(line).toMatchObject({
      rule: 'general_price',
      unitCode: box.Unit,
      itemsPerUnit: '12',
      unitPrice: String(price),
      amountExclVat: String(Math.round(3 * price * 100) / 100),
    });
    expect(line?.matched[0]?.sourceExactId).toBe(box.ID);
  });
});
