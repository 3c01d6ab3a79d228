import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Collection,
  DIVISION,
  type ExactErrorBody,
  json,
  OTHER_DIVISION,
  type Sim,
  startSim,
} from './helpers.ts';

interface Order {
  OrderID: string;
  OrderNumber: number;
  Status: number;
  YourRef: string | null;
  OrderedBy: string;
  OrderDate: string;
  Description: string | null;
  SalesOrderLines: { results: Array<{ Item: string; Quantity: number; NetPrice: number }> };
  __metadata: { uri: string; type: string };
}

interface SimOrders {
  data: Array<{
    OrderID: string;
    YourRef: string;
    lines: Array<{ Item: string; Quantity: number; NetPrice: number }>;
  }>;
  postsByYourRef: Record<string, number>;
}

let sim: Sim;
let token: string;
let accountId: string;
let itemId: string;
beforeEach(async () => {
  sim = await startSim();
  token = await sim.token();
  accountId = (await sim.entities<{ ID: string }>('accounts'))[0]?.ID ?? '';
  itemId = (await sim.entities<{ ID: string }>('items'))[0]?.ID ?? '';
});
afterEach(async () => {
  await sim.close();
});

function post(body: unknown, division = DIVISION): Promise<Response> {
  return sim.api(token, `${division}/salesorder/SalesOrders`, {
    method: 'POST',
    headers: { Prefer: 'return=representation' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const valid = (ref: string) => ({
  OrderedBy: accountId,
  OrderDate: '2026-06-25',
  YourRef: ref,
  Description: 'Webshop order',
  SalesOrderLines: [{ Item: itemId, Quantity: 2, NetPrice: 12.5 }],
});

describe('creating orders', () => {
  it('answers 201 with OrderID, sequential OrderNumber and Status 12', async () => {
    const first = await post(valid('B2C-1'));
    expect(first.status).toBe(201);
    const order = (await json<{ d: Order }>(first)).d;
    expect(order.OrderID).toMatch(/^[0-9a-f-]{36}$/);
    expect(order).toMatchObject({ OrderNumber: 1, Status: 12, YourRef: 'B2C-1', OrderedBy: accountId });
    expect(order.OrderDate).toBe(`/Date(${Date.UTC(2026, 5, 25)})/`);
    expect(order.SalesOrderLines.results[0]).toMatchObject({ Item: itemId, Quantity: 2, NetPrice: 12.5 });
    expect(order.__metadata.uri).toContain(`SalesOrders(guid'${order.OrderID}')`);
    const second = (await json<{ d: Order }>(await post(valid('B2C-2')))).d;
    expect(second.OrderNumber).toBe(2);
  });

  it('counts each YourRef posted, so a duplicate shows 2', async () => {
    await post(valid('B2C-7'));
    await post(valid('B2C-7'));
    await post(valid('B2B-1'));
    const { body } = await sim.control<SimOrders>('GET', `/_sim/orders?division=${DIVISION}`);
    expect(body.postsByYourRef).toEqual({ 'B2C-7': 2, 'B2B-1': 1 });
    expect(body.data).toHaveLength(3);
    expect(body.data[0]?.lines).toEqual([
      expect.objectContaining({ Item: itemId, Quantity: 2, NetPrice: 12.5 }),
    ]);
    const other = await sim.control<SimOrders>('GET', `/_sim/orders?division=${OTHER_DIVISION}`);
    expect(other.body.data).toHaveLength(0);
  });

  it.each([
    ['no OrderedBy', { SalesOrderLines: [{ Item: 'x' }] }, /OrderedBy/],
    [
      'an unknown account',
      { OrderedBy: '00000000-0000-4000-8000-000000000000', SalesOrderLines: [] },
      /OrderedBy.*does not exist/,
    ],
    ['no lines', { OrderedBy: 'ACCOUNT', SalesOrderLines: [] }, /SalesOrderLines/],
    [
      'an item code instead of an ID',
      { OrderedBy: 'ACCOUNT', SalesOrderLines: [{ Item: 'CHR-000001', Quantity: 1 }] },
      /Item/,
    ],
    [
      'an unknown item',
      { OrderedBy: 'ACCOUNT', SalesOrderLines: [{ Item: '00000000-0000-4000-8000-000000000000' }] },
      /does not exist/,
    ],
    [
      'a zero quantity',
      { OrderedBy: 'ACCOUNT', SalesOrderLines: [{ Item: 'ITEM', Quantity: 0 }] },
      /Quantity/,
    ],
    [
      'a text quantity',
      { OrderedBy: 'ACCOUNT', SalesOrderLines: [{ Item: 'ITEM', Quantity: 'two' }] },
      /Quantity/,
    ],
  ])('refuses an order with %s (400, Exact error body)', async (_name, body, message) => {
    const text = JSON.stringify(body).replaceAll('ACCOUNT', accountId).replaceAll('"ITEM"', `"${itemId}"`);
    const response = await post(text);
    expect(response.status).toBe(400);
    expect((await json<ExactErrorBody>(response)).error.message.value).toMatch(message);
    expect((await sim.control<SimOrders>('GET', '/_sim/orders')).body.data).toHaveLength(0);
  });

  it('refuses malformed JSON and an order against another division’s account', async () => {
    expect((await post('{"OrderedBy":')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post(valid('X'), OTHER_DIVISION)).status).toBe(400);
  });
});

describe('reading orders', () => {
  it('finds orders by YourRef (and OrderedBy) with $select', async () => {
    const created = (await json<{ d: Order }>(await post(valid('B2C-100')))).d;
    await post(valid('B2C-101'));
    const found = await sim.api(
      token,
      `${DIVISION}/salesorder/SalesOrders?$filter=YourRef eq 'B2C-100' and OrderedBy eq guid'${accountId}'&$select=OrderID,OrderNumber`,
    );
    expect(found.status).toBe(200);
    const page = await json<Collection<Record<string, unknown>>>(found);
    expect(page.d.results).toHaveLength(1);
    const { __metadata: _meta, ...fields } = page.d.results[0] ?? {};
    expect(fields).toEqual({ OrderID: created.OrderID, OrderNumber: created.OrderNumber });
    const none = await sim.api(
      token,
      `${DIVISION}/salesorder/SalesOrders?$filter=YourRef eq 'B2C-999'&$select=OrderID`,
    );
    expect((await json<Collection>(none)).d.results).toEqual([]);
  });

  it('reads one order by key', async () => {
    const created = (await json<{ d: Order }>(await post(valid('B2C-5')))).d;
    const one = await sim.api(token, `${DIVISION}/salesorder/SalesOrders(guid'${created.OrderID}')`);
    expect((await json<{ d: Order }>(one)).d).toMatchObject({
      OrderID: created.OrderID,
      YourRef: 'B2C-5',
      Status: 12,
    });
    const missing = await sim.api(
      token,
      `${DIVISION}/salesorder/SalesOrders(guid'00000000-0000-4000-8000-000000000000')`,
    );
    expect(missing.status).toBe(404);
  });
});
