import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, type Sim, startSim } from './helpers.ts';
import {
  type ItemRow,
  mutate,
  type PriceRow,
  plainItem,
  postOrder,
  refusal,
  syncAll,
} from './storefront-helpers.ts';

// The order POST with what storefronts send: units, VAT codes, addresses, contacts, warehouses, and no price (the
// simulator prices the line itself: customer price, then price list, then general price less the account discount).

interface Line {
  Item: string;
  Quantity: number;
  UnitCode: string;
  UnitPrice: number;
  NetPrice: number;
  Discount: number;
  VATCode: string | null;
  VATPercentage: number;
  VATAmount: number;
  AmountDC: number;
}
interface Order {
  OrderID: string;
  AmountDC: number;
  AmountFC: number;
  WarehouseID: string | null;
  DeliveryAddress: string | null;
  OrderedByContactPerson: string | null;
  SalesOrderLines: { results: Line[] };
}
interface SimOrders {
  data: Array<{ OrderID: string; lines: Array<{ priceSource: string }> }>;
}

const edm = (iso: string) => `/Date(${Date.parse(`${iso}T00:00:00Z`)})/`;
const cents = (n: number) => Math.round(n * 100) / 100;

let sim: Sim;
let token: string;
let item: ItemRow;
let price: number;
let account: { ID: string };
beforeAll(async () => {
  sim = await startSim({ items: 300, accounts: 30 });
  token = await sim.token();
  ({ item, price } = await plainItem(sim));
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  // A Dutch customer without price list, discount or own VAT code, unless a test gives it one.
  account = (await sim.entities<{ ID: string }>('accounts'))[0] ?? { ID: '' };
  await setAccount({ PriceList: null, DiscountSales: null, SalesVATCode: null });
});

const setAccount = (fields: Record<string, unknown>) =>
  mutate(sim, { entity: 'accounts', records: [{ ID: account.ID, ...fields }] });

async function created(entity: string, records: unknown[]): Promise<string[]> {
  const answer = await mutate(sim, { entity, records });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.created;
}

async function order(lines: unknown[], extra: Record<string, unknown> = {}): Promise<Order> {
  const response = await postOrder(sim, token, { OrderedBy: account.ID, SalesOrderLines: lines, ...extra });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ d: Order }>(response)).d;
}

async function sources(orderId: string): Promise<string[]> {
  const { data } = (await sim.control<SimOrders>('GET', '/_sim/orders')).body;
  return data.find((o) => o.OrderID === orderId)?.lines.map((l) => l.priceSource) ?? [];
}

describe('unpriced lines', () => {
  it('take the general price less the account discount, with VAT on top', async () => {
    await setAccount({ DiscountSales: 0.1 });
    const posted = await order([{ Item: item.ID, Quantity: 4 }], { OrderDate: '2026-03-01' });
    const [line] = posted.SalesOrderLines.results;
    const net = cents(price * 0.9);
    const pct = item.SalesVatCode === '1' ? 0.09 : 0.21;
    const vat = cents(cents(4 * net) * pct);
    expect(line).toMatchObject({
      UnitPrice: price,
      NetPrice: net,
      Quantity: 4,
      VATPercentage: pct,
      VATAmount: vat,
    });
    expect(line?.AmountDC).toBe(cents(4 * net));
    expect(posted.AmountDC).toBe(cents(cents(4 * net) + vat));
    expect(await sources(posted.OrderID)).toEqual(['general']);
    const [header] = (
      await syncAll<{ ID: string; AmountDC: number; AmountFCExclVat: number }>(
        sim,
        token,
        'SalesOrder/SalesOrderHeaders',
        'ID,AmountDC,AmountFCExclVat',
      )
    ).filter((h) => h.ID === posted.OrderID);
    expect(header).toMatchObject({ AmountDC: posted.AmountDC, AmountFCExclVat: cents(4 * net) });
  });

  it('take the price list volume discount for the order date and quantity, before the account discount', async () => {
    const [list] = await created('priceLists', [
      { Code: 'TEST', Description: 'Test list', Entity: 1, Type: 1 },
    ]);
    const [current, ended] = await created('priceListPeriods', [
      { PriceList: list, StartDate: edm('2026-01-01'), EndDate: null, Type: 1 },
      { PriceList: list, StartDate: edm('2024-01-01'), EndDate: edm('2024-12-31'), Type: 1 },
    ]);
    const row = { Item: item.ID, Unit: item.Unit };
    await created('volumeDiscounts', [
      { ...row, PriceListPeriod: current, Quantity: 1, EntryMethod: 1, Discount: 0.1 },
      { ...row, PriceListPeriod: current, Quantity: 10, EntryMethod: 2, NewPrice: 0.5 },
      { ...row, PriceListPeriod: ended, Quantity: 1, EntryMethod: 1, Discount: 0.5 },
    ]);
    await setAccount({ PriceList: list, DiscountSales: 0.2 });
    const posted = await order(
      [
        { Item: item.ID, Quantity: 3 },
        { Item: item.ID, Quantity: 12 },
      ],
      {
        OrderDate: '2026-03-01',
      },
    );
    expect(posted.SalesOrderLines.results.map((l) => l.NetPrice)).toEqual([cents(price * 0.9), 0.5]);
    expect(posted.SalesOrderLines.results[0]?.Discount).toBeCloseTo(0.1, 3);
    expect(await sources(posted.OrderID)).toEqual(['price-list', 'price-list']);
    const old = await order([{ Item: item.ID, Quantity: 3 }], { OrderDate: '2024-06-01' });
    expect(old.SalesOrderLines.results[0]?.NetPrice).toBe(cents(price * 0.5));
    // Between the periods no list price applies: the general price less the account's discount.
    const gap = await order([{ Item: item.ID, Quantity: 3 }], { OrderDate: '2025-06-01' });
    expect(gap.SalesOrderLines.results[0]?.NetPrice).toBe(cents(price * 0.8));
  });

  it('take a group discount of an item-group list, and the customer price over any list', async () => {
    const [list] = await created('priceLists', [
      { Code: 'GROUP', Description: 'Groups', Entity: 2, Type: 1 },
    ]);
    const [period] = await created('priceListPeriods', [
      { PriceList: list, StartDate: edm('2020-01-01'), Type: 1 },
    ]);
    await created('volumeDiscounts', [
      { PriceListPeriod: period, ItemGroup: item.ItemGroup, Quantity: 1, EntryMethod: 1, Discount: 0.25 },
    ]);
    await setAccount({ PriceList: list });
    const grouped = await order([{ Item: item.ID, Quantity: 1 }]);
    expect(grouped.SalesOrderLines.results[0]?.NetPrice).toBe(cents(price * 0.75));
    await created('prices', [
      { Item: item.ID, Account: account.ID, Price: 1.11, Quantity: 0, Unit: item.Unit },
    ]);
    const own = await order([{ Item: item.ID, Quantity: 1 }]);
    expect(own.SalesOrderLines.results[0]?.NetPrice).toBe(1.11);
    expect(await sources(own.OrderID)).toEqual(['customer']);
  });

  it('keep a given price: NetPrice, or UnitPrice less Discount', async () => {
    const posted = await order([
      { Item: item.ID, Quantity: 1, NetPrice: 7 },
      { Item: item.ID, Quantity: 1, UnitPrice: 10, Discount: 0.15 },
    ]);
    expect(posted.SalesOrderLines.results.map((l) => [l.UnitPrice, l.NetPrice])).toEqual([
      [7, 7],
      [10, 8.5],
    ]);
    expect(await sources(posted.OrderID)).toEqual(['given', 'given']);
  });
});

describe('units', () => {
  it('price and count a line in a bigger unit (a box of n) when UnitCode names it', async () => {
    const prices = await sim.entities<PriceRow>('prices');
    const box = prices.find(
      (p) => p.Account === null && p.Unit !== p.DefaultItemUnit && p.StartDate === null,
    );
    if (!box) throw new Error('no price in a bigger unit');
    const posted = await order([{ Item: box.Item, Quantity: 2, UnitCode: box.Unit }]);
    const [line] = posted.SalesOrderLines.results;
    expect(line).toMatchObject({
      UnitCode: box.Unit,
      Quantity: 2,
      NetPrice: box.Price,
      AmountDC: cents(2 * box.Price),
    });
    const synced = await syncAll<{ OrderID: string; UnitCode: string; Quantity: number }>(
      sim,
      token,
      'SalesOrder/SalesOrderLines',
      'OrderID,UnitCode,Quantity',
    );
    expect(synced.find((l) => l.OrderID === posted.OrderID)).toMatchObject({
      UnitCode: box.Unit,
      Quantity: 2,
    });
  });

  it('refuses a unit the item is not sold in, naming the field', async () => {
    const response = await postOrder(sim, token, {
      OrderedBy: account.ID,
      SalesOrderLines: [{ Item: item.ID, Quantity: 1, UnitCode: 'pal' }],
    });
    const [status, message] = await refusal(response);
    expect(status).toBe(400);
    expect(message).toMatch(/^SalesOrderLines\[1\]\.UnitCode: item .* is not sold in unit 'pal'/);
  });
});

describe('VAT', () => {
  it('splits VAT out of prices that include it, dates the rate, and follows the customer VAT code', async () => {
    const posted = await order(
      [
        { Item: item.ID, Quantity: 1, NetPrice: 121, VATCode: '4' },
        { Item: item.ID, Quantity: 1, NetPrice: 100, VATCode: '1' },
      ],
      { OrderDate: '2018-06-01' },
    );
    expect(posted.SalesOrderLines.results.map((l) => [l.AmountDC, l.VATAmount, l.VATPercentage])).toEqual([
      [100, 21, 0.21],
      [100, 6, 0.06],
    ]);
    expect(posted.AmountDC).toBe(227);
    await setAccount({ SalesVATCode: '3' });
    const abroad = await order([{ Item: item.ID, Quantity: 1, NetPrice: 100 }]);
    expect(abroad.SalesOrderLines.results[0]).toMatchObject({ VATCode: '3', VATAmount: 0, VATPercentage: 0 });
    const [status, message] = await refusal(
      await postOrder(sim, token, {
        OrderedBy: account.ID,
        SalesOrderLines: [{ Item: item.ID, VATCode: 'X9' }],
      }),
    );
    expect([status, message]).toEqual([400, "SalesOrderLines[1].VATCode: VAT code 'X9' does not exist."]);
  });
});

describe('references', () => {
  it('accepts the customer’s own address and contact and refuses others’ or unknown ones, storing nothing', async () => {
    const [other] = (await sim.entities<{ ID: string }>('accounts')).slice(1);
    const addresses = await sim.entities<{ ID: string; Account: string }>('addresses');
    const contacts = await sim.entities<{ ID: string; Account: string }>('contacts');
    const own = addresses.find((a) => a.Account === account.ID);
    const foreign = addresses.find((a) => a.Account === other?.ID);
    const contact = contacts.find((c) => c.Account === account.ID);
    const foreignContact = contacts.find((c) => c.Account === other?.ID);
    const count = async () => (await sim.control<SimOrders>('GET', '/_sim/orders')).body.data.length;
    const before = await count();
    const line = [{ Item: item.ID, Quantity: 1, NetPrice: 1 }];
    const refused = async (extra: Record<string, unknown>) =>
      refusal(await postOrder(sim, token, { OrderedBy: account.ID, SalesOrderLines: line, ...extra }));
    expect(await refused({ DeliveryAddress: foreign?.ID })).toEqual([
      400,
      `DeliveryAddress: address ${foreign?.ID} does not belong to account ${account.ID}.`,
    ]);
    expect((await refused({ DeliveryAddress: '00000000-0000-4000-8000-000000000000' }))[1]).toMatch(
      /does not exist/,
    );
    expect((await refused({ OrderedByContactPerson: foreignContact?.ID }))[1]).toMatch(
      /^OrderedByContactPerson: contact .* does not belong to account/,
    );
    expect((await refused({ DeliverTo: '00000000-0000-4000-8000-000000000000' }))[1]).toMatch(
      /^DeliverTo: account/,
    );
    expect(await count()).toBe(before);

    const posted = await order(line, { DeliveryAddress: own?.ID, OrderedByContactPerson: contact?.ID });
    expect(posted).toMatchObject({ DeliveryAddress: own?.ID, OrderedByContactPerson: contact?.ID });
    // A delivery address belongs to the account delivered to, which may be another customer.
    const elsewhere = await order(line, { DeliverTo: other?.ID, DeliveryAddress: foreign?.ID });
    expect(elsewhere.DeliveryAddress).toBe(foreign?.ID);
  });

  it('accepts WarehouseID only where the edition supports it, and only a known warehouse', async () => {
    const [warehouse] = await sim.entities<{ ID: string }>('warehouses');
    const body = { OrderedBy: account.ID, SalesOrderLines: [{ Item: item.ID, NetPrice: 1 }] };
    const [status, message] = await refusal(
      await postOrder(sim, token, { ...body, WarehouseID: warehouse?.ID }),
    );
    expect(status).toBe(400);
    expect(message).toMatch(/^WarehouseID: not supported in this edition/);
    await sim.control('PATCH', '/_sim/config', { warehouseIdOnOrders: true });
    const unknown = await postOrder(sim, token, {
      ...body,
      WarehouseID: '00000000-0000-4000-8000-000000000000',
    });
    expect((await refusal(unknown))[1]).toMatch(/^WarehouseID: warehouse .* does not exist/);
    const posted = await order(body.SalesOrderLines, { WarehouseID: warehouse?.ID });
    expect(posted.WarehouseID).toBe(warehouse?.ID);
    await sim.control('PATCH', '/_sim/config', { warehouseIdOnOrders: false });
  });
});
