import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIVISION, json, type Sim, startSim } from './helpers.ts';
import { mutate, plainItem, postOrder, syncAll } from './storefront-helpers.ts';

// A POSTed order's life: sync headers and lines, goods deliveries, invoices, cancellation, webhooks and deletions.

interface Header {
  ID: string;
  OrderNumber: number;
  YourRef: string | null;
  Status: number;
  DeliveryStatus: number;
  InvoiceStatus: number;
  AmountDC: number;
  Timestamp: number | string;
}
interface SyncLine {
  ID: string;
  OrderID: string;
  Quantity: number;
  QuantityDelivered: number;
  QuantityInvoiced: number;
  Status: number;
}
interface Step {
  order: { Status: number; DeliveryStatus: number; InvoiceStatus: number; lines: Array<{ ID: string }> };
  delivery?: { EntryID: string };
  invoice?: { InvoiceID: string };
}

let sim: Sim;
let token: string;
let receiver: Server;
let hooks: Array<{ Topic: string; Key: string; Action: string; ExactOnlineEndpoint: string }>;
let orderId: string;
let items: string[];

beforeEach(async () => {
  sim = await startSim({ items: 200, accounts: 10 });
  token = await sim.token();
  hooks = [];
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      if (body) hooks.push((JSON.parse(body) as { Content: (typeof hooks)[number] }).Content);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const callback = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  for (const Topic of ['SalesOrders', 'GoodsDeliveries', 'SalesInvoices']) {
    await sim.api(token, `${DIVISION}/webhooks/WebhookSubscriptions`, {
      method: 'POST',
      body: JSON.stringify({ CallbackURL: callback, Topic }),
    });
  }
  const [account] = await sim.entities<{ ID: string }>('accounts');
  const { item } = await plainItem(sim);
  const other = (await sim.entities<{ ID: string }>('items')).find((i) => i.ID !== item.ID);
  items = [item.ID, other?.ID ?? ''];
  const response = await postOrder(sim, token, {
    OrderedBy: account?.ID,
    YourRef: 'SHOP-1',
    SalesOrderLines: [
      { Item: items[0], Quantity: 5, NetPrice: 10, VATCode: '2' },
      { Item: items[1], Quantity: 2, NetPrice: 4, VATCode: '2' },
    ],
  });
  orderId = (await json<{ d: { OrderID: string } }>(response)).d.OrderID;
});
afterEach(async () => {
  await sim.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

const step = (action: string, body: unknown = {}) =>
  sim.control<Step>('POST', `/_sim/divisions/${DIVISION}/orders/${orderId}/${action}`, body);

const headers = () =>
  syncAll<Header>(
    sim,
    token,
    'SalesOrder/SalesOrderHeaders',
    'ID,OrderNumber,YourRef,Status,DeliveryStatus,InvoiceStatus,AmountDC,Timestamp',
  );
const lines = () =>
  syncAll<SyncLine>(
    sim,
    token,
    'SalesOrder/SalesOrderLines',
    'ID,OrderID,Quantity,QuantityDelivered,QuantityInvoiced,Status',
  );

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

describe('order progress', () => {
  it('shows a posted order in the sync headers and lines, open', async () => {
    const [header] = await headers();
    expect(header).toMatchObject({
      ID: orderId,
      OrderNumber: 1,
      YourRef: 'SHOP-1',
      Status: 12,
      DeliveryStatus: 12,
    });
    expect(header?.AmountDC).toBe(Math.round((50 + 8) * 1.21 * 100) / 100);
    expect((await lines()).map((l) => [l.Quantity, l.Status])).toEqual([
      [5, 12],
      [2, 12],
    ]);
  });

  it('delivers in part and in full: goods deliveries linked through their lines, statuses, new Timestamps', async () => {
    const [before] = await headers();
    const first = await step('deliver', { lines: [{ item: items[0], quantity: 3 }] });
    expect(first.status).toBe(200);
    expect(first.body.order).toMatchObject({ Status: 20, DeliveryStatus: 20, InvoiceStatus: 12 });
    const [partial] = await headers();
    expect(Number(partial?.Timestamp)).toBeGreaterThan(Number(before?.Timestamp));
    expect(partial).toMatchObject({ Status: 20, DeliveryStatus: 20 });

    await step('deliver');
    const deliveries = await syncAll<{ EntryID: string; DeliveryNumber: number }>(
      sim,
      token,
      'SalesOrder/GoodsDeliveries',
      'EntryID,DeliveryNumber',
    );
    expect(deliveries.map((d) => d.DeliveryNumber)).toEqual([1, 2]);
    const deliveryLines = await syncAll<{
      EntryID: string;
      SalesOrderLineID: string;
      QuantityDelivered: number;
    }>(sim, token, 'SalesOrder/GoodsDeliveryLines', 'EntryID,SalesOrderLineID,QuantityDelivered');
    const [lineA, lineB] = first.body.order.lines.map((l) => l.ID);
    expect(deliveryLines.map((l) => [l.EntryID, l.SalesOrderLineID, l.QuantityDelivered])).toEqual([
      [deliveries[0]?.EntryID, lineA, 3],
      [deliveries[1]?.EntryID, lineA, 2],
      [deliveries[1]?.EntryID, lineB, 2],
    ]);
    expect((await headers())[0]).toMatchObject({ Status: 20, DeliveryStatus: 21, InvoiceStatus: 12 });
  });

  it('invoices one record per line, completes the order, and fires the three topics', async () => {
    await step('deliver');
    const invoiced = await step('invoice');
    expect(invoiced.body.order).toMatchObject({ Status: 21, DeliveryStatus: 21, InvoiceStatus: 21 });
    const records = await syncAll<{
      InvoiceID: string;
      SalesOrder: string;
      Quantity: number;
      AmountDC: number;
    }>(sim, token, 'SalesInvoice/SalesInvoices', 'InvoiceID,SalesOrder,Quantity,AmountDC,VATAmountDC');
    expect(records.map((r) => [r.InvoiceID, r.SalesOrder, r.Quantity, r.AmountDC])).toEqual([
      [invoiced.body.invoice?.InvoiceID, orderId, 5, 50],
      [invoiced.body.invoice?.InvoiceID, orderId, 2, 8],
    ]);
    expect((await lines()).map((l) => [l.QuantityInvoiced, l.Status])).toEqual([
      [5, 21],
      [2, 21],
    ]);
    const delivery = (
      await syncAll<{ EntryID: string }>(sim, token, 'SalesOrder/GoodsDeliveries', 'EntryID')
    )[0];
    await until(() => hooks.length >= 4);
    expect(hooks.map((h) => [h.Topic, h.Key, h.Action])).toEqual(
      expect.arrayContaining([
        ['SalesOrders', orderId, 'Update'],
        ['GoodsDeliveries', delivery?.EntryID, 'Update'],
        ['SalesInvoices', invoiced.body.invoice?.InvoiceID, 'Update'],
      ]),
    );
    expect(hooks.find((h) => h.Topic === 'SalesInvoices')?.ExactOnlineEndpoint).toMatch(
      /\/salesinvoice\/SalesInvoices\(guid'/,
    );
  });

  it('refuses steps the order does not allow and quantities it does not have', async () => {
    expect((await step('invoice')).status).toBe(409);
    const tooMuch = await step('deliver', { lines: [{ item: items[1], quantity: 3 }] });
    expect(tooMuch.status).toBe(400);
    expect(JSON.stringify(tooMuch.body)).toMatch(/line 2 has 2 \w+ left to deliver/);
    expect(
      (await step('deliver', { lines: [{ lineId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }))
        .status,
    ).toBe(400);
    // Invoicing named lines before delivery is allowed (as for services), up to what was ordered.
    expect(
      (await step('invoice', { lines: [{ item: items[1], quantity: 2 }] })).body.order.InvoiceStatus,
    ).toBe(20);
    const unknown = await sim.control(
      'POST',
      `/_sim/divisions/${DIVISION}/orders/00000000-0000-4000-8000-000000000000/deliver`,
      {},
    );
    expect(unknown.status).toBe(404);
  });

  it('cancels an order: Status 45 on header and lines, and nothing moves it on after', async () => {
    await step('deliver', { lines: [{ item: items[0], quantity: 1 }] });
    expect((await step('cancel')).body.order.Status).toBe(45);
    expect((await headers())[0]?.Status).toBe(45);
    expect((await lines()).map((l) => l.Status)).toEqual([45, 45]);
    expect((await step('deliver')).status).toBe(409);
    expect((await step('cancel')).status).toBe(409);
    const read = await sim.api(
      token,
      `${DIVISION}/salesorder/SalesOrders(guid'${orderId}')?$select=Status,StatusDescription`,
    );
    expect((await json<{ d: unknown }>(read)).d).toMatchObject({
      Status: 45,
      StatusDescription: 'Cancelled',
    });
  });
});

describe('deletions', () => {
  it('logs deleted orders (32) with their lines (33), deliveries (16, 17) and invoices (13)', async () => {
    await step('deliver');
    await step('invoice');
    const refused = await mutate(sim, { entity: 'orderHeaders', update: 1 });
    expect(refused.status).toBe(400);
    const [delivery] = await sim.entities<{ ID: string }>('deliveries');
    const invoiceLines = await sim.entities<{ ID: string }>('invoices');
    await mutate(sim, { entity: 'deliveries', deleteIds: [delivery?.ID] });
    await mutate(sim, { entity: 'invoices', delete: 5 });
    await mutate(sim, { entity: 'orderHeaders', deleteIds: [orderId] });
    const logged = await syncAll<{ EntityKey: string; EntityType: number }>(
      sim,
      token,
      'Deleted',
      'EntityKey,EntityType',
    );
    const count = (type: number) => logged.filter((d) => d.EntityType === type).length;
    expect([count(32), count(33), count(16), count(17), count(13)]).toEqual([
      1,
      2,
      1,
      2,
      invoiceLines.length,
    ]);
    expect(logged.find((d) => d.EntityType === 32)?.EntityKey).toBe(orderId);
    expect(await headers()).toEqual([]);
    const gone = await sim.api(token, `${DIVISION}/salesorder/SalesOrders(guid'${orderId}')`);
    expect(gone.status).toBe(404);
    expect((await step('deliver')).status).toBe(404);
  });

  it('re-stamps the new sync entities when the division moves', async () => {
    await step('deliver');
    await sim.control('POST', `/_sim/divisions/${DIVISION}/move`);
    const [header] = await headers();
    expect(Number(header?.Timestamp)).toBeLessThan(1_000_000);
    expect((await syncAll(sim, token, 'SalesOrder/GoodsDeliveryLines', 'ID')).length).toBe(2);
  });
});
