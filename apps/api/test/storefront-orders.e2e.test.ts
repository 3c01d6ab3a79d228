import { addresses, contacts, type DatabaseHandle, openDatabase } from '@exact-sync/db';
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
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Storefront orders through api, worker and simulator: a b2c key's orders always go on the channel's default account
// (one naming another customer is refused at the door with a 422 that says so, reaching neither Postgres nor
// Exact); what Exact gets of an order (units, remarks, the consumer, the channel's pricing and warehouse); a b2b
// order's delivery address and contact, checked to be the customer's own.

const DIVISION = 100001;

interface OrderView {
  id: string;
  status: string;
  exactOrderId: string | null;
}

/** The first test's connection and its b2b key, which the delivery test orders with again. */
let firstB2b: string | undefined;
let firstConnection = '';
let db: TestDatabase;
let handle: DatabaseHandle;
let stack: Stack;
const prefix = uniqueName('b2c_orders');

beforeAll(async () => {
  db = await createTestDatabase('b2c_orders');
  handle = openDatabase(db.url, { max: 1 });
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: testRedisUrl(),
    redisPrefix: prefix,
    simEnv: { SIM_ITEMS: '20', SIM_ACCOUNTS: '10' },
  });
});

afterAll(async () => {
  await stack?.stop();
  await handle?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

async function list<T>(path: string, token: string): Promise<T[]> {
  let rows: T[] = [];
  await waitFor(path, async () => {
    rows = ((await stack.call('GET', path, { token })).body as { data: T[] }).data;
    return rows.length > 0;
  });
  return rows;
}

describe('storefront orders through api, worker and simulator', () => {
  it("books every order on the channel's default account, and answers 422 for another customer", async () => {
    const id = await onboard(stack, { division: DIVISION });
    const b2b = await storefrontKey(stack, id, 'b2b');
    const b2c = await storefrontKey(stack, id, 'b2c');
    firstB2b = b2b;
    firstConnection = id;
    const accounts = (
      await list<{ exactId: string; code: string; blocked: boolean | null }>('/v1/accounts?limit=50', b2b)
    ).filter((a) => a.blocked !== true);
    const [consumers, other] = accounts;
    const item = (await list<{ sku: string }>('/v1/items?limit=5', b2b))[0];
    if (!consumers || !other || !item) throw new Error('the simulator has too few accounts or items');
    const channels = { b2c: { defaultAccountCode: consumers.code } };
    expect((await stack.call('PATCH', `/v1/connections/${id}`, { body: { channels } })).status).toBe(200);
    const lines = [{ sku: item.sku, quantity: '1' }];
    const place = (reference: string, customer: Record<string, unknown>) =>
      stack.call('POST', '/v1/orders', { token: b2c, body: { reference, customer, lines } });

    for (const [reference, customer] of [
      ['B2C-OTHER-CODE', { code: other.code }],
      ['B2C-OTHER-ID', { exactId: other.exactId }],
    ] as const) {
      const refused = await place(reference, customer);
      expect(refused.status, reference).toBe(422);
      expect(refused.body).toMatchObject({
        error: {
          code: 'customer_not_allowed',
          message: expect.stringContaining("channel's default account"),
        },
      });
    }
    const none = (await stack.call('GET', '/v1/orders', { token: b2c })).body as { data: unknown[] };
    expect(none.data).toEqual([]);

    // The consumer's order, and one naming the default account itself, both go on that account in Exact.
    const placed = [
      await place('B2C-CONSUMER', { name: 'Ann Smith', email: 'ann@example.com' }),
      await place('B2C-DEFAULT', { code: consumers.code }),
    ];
    for (const res of placed) expect(res.status, JSON.stringify(res.body)).toBe(202);
    const exactIds: string[] = [];
    for (const res of placed) {
      await waitFor('the order in Exact', async () => {
        const order = (await stack.call('GET', `/v1/orders/${(res.body as OrderView).id}`, { token: b2c }))
          .body as OrderView;
        if (order.exactOrderId) exactIds.push(order.exactOrderId);
        return order.status === 'submitted';
      });
    }
    const inExact = (await stack.simControl.orders(DIVISION)).data.filter((o) =>
      exactIds.includes(String(o.OrderID)),
    );
    expect(inExact.map((o) => o.OrderedBy)).toEqual([consumers.exactId, consumers.exactId]);
  });

  it('sends Exact the whole order: units, remarks, the consumer where Exact has room, the channel’s pricing and warehouse', async () => {
    const id = await onboard(stack, { name: 'Complete orders', division: DIVISION });
    const b2b = await storefrontKey(stack, id, 'b2b');
    const b2c = await storefrontKey(stack, id, 'b2c');
    const accounts = (
      await list<{ exactId: string; code: string; blocked: boolean | null }>('/v1/accounts?limit=50', b2b)
    ).filter((a) => a.blocked !== true);
    const items = await list<{ sku: string; unitCode: string | null }>('/v1/items?limit=50', b2b);
    const [consumers, customer] = accounts;
    const item = items.find((i) => i.unitCode);
    const [warehouse] = await stack.simControl.dataset(DIVISION, 'warehouses');
    if (!consumers || !customer || !item?.unitCode || !warehouse)
      throw new Error('the simulator has too little data');
    await stack.simControl.config({ warehouseIdOnOrders: true });
    const channels = {
      b2c: { defaultAccountCode: consumers.code, priceSource: 'exact', warehouseId: warehouse.ID },
    };
    expect((await stack.call('PATCH', `/v1/connections/${id}`, { body: { channels } })).status).toBe(200);
    const refused = await stack.call('PATCH', `/v1/connections/${id}`, {
      body: { channels: { b2b: { pricesIncludeVat: true } } },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('body.channels.b2b.priceSource');

    const consumer = {
      name: 'Ann Smith',
      email: 'ann@example.com',
      address: {
        line1: 'Kerkstraat 1',
        line2: '2nd floor',
        postcode: '1011 AB',
        city: 'Amsterdam',
        country: 'NL',
      },
    };
    const placed = [
      await stack.call('POST', '/v1/orders', {
        token: b2c,
        body: {
          reference: 'WHOLE-B2C',
          customer: consumer,
          lines: [{ sku: item.sku, quantity: '2', unitPrice: '1.25', unitCode: item.unitCode }],
          note: 'Leave at the door',
        },
      }),
      await stack.call('POST', '/v1/orders', {
        token: b2b,
        body: {
          reference: 'WHOLE-B2B',
          customer: { code: customer.code },
          lines: [{ sku: item.sku, quantity: '3', unitPrice: '7.5' }],
        },
      }),
    ];
    const exactIds: string[] = [];
    for (const res of placed) {
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const token = res === placed[0] ? b2c : b2b;
      await waitFor('the order in Exact', async () => {
        const order = (await stack.call('GET', `/v1/orders/${(res.body as OrderView).id}`, { token }))
          .body as OrderView;
        if (order.exactOrderId) exactIds.push(order.exactOrderId);
        return order.status === 'submitted';
      });
    }
    const inExact = (await stack.simControl.orders(DIVISION)).data;
    const [ofB2c, ofB2b] = exactIds.map((exactId) => inExact.find((o) => o.OrderID === exactId));
    // The consumer: name and e-mail in Description, all of it and then the note in Remarks.
    expect(ofB2c).toMatchObject({
      OrderedBy: consumers.exactId,
      Description: 'Ann Smith <ann@example.com>',
      Remarks:
        'Ann Smith\nann@example.com\nKerkstraat 1\n2nd floor\n1011 AB Amsterdam\nNL\n\nLeave at the door',
      WarehouseID: warehouse.ID,
    });
    // b2c prices come from Exact (no NetPrice sent); b2b sends the storefront's price; each line has its unit.
    expect(ofB2c?.lines).toEqual([expect.objectContaining({ UnitCode: item.unitCode, Quantity: 2 })]);
    const [b2cLine] = (ofB2c?.lines ?? []) as { NetPrice: number }[];
    expect(b2cLine?.NetPrice).not.toBe(1.25);
    expect(ofB2b).toMatchObject({ OrderedBy: customer.exactId, WarehouseID: null });
    expect(ofB2b?.lines).toEqual([
      expect.objectContaining({ UnitCode: item.unitCode, Quantity: 3, NetPrice: 7.5 }),
    ]);
    // Our record keeps the consumer whole.
    const b2cOrder = placed[0]?.body as OrderView;
    const record = (await stack.call('GET', `/v1/orders/${b2cOrder.id}`, { token: b2c })).body as {
      customer: unknown;
      lines: unknown[];
    };
    expect(record.customer).toEqual(consumer);
    expect(record.lines).toEqual([
      { sku: item.sku, quantity: '2', unitPrice: '1.25', unitCode: item.unitCode },
    ]);
  });

  it("sends a b2b order's delivery address and contact, and rejects another account's before Exact", async () => {
    const b2b = firstB2b;
    if (!b2b) throw new Error('the first test made no connection');
    const item = (await list<{ sku: string }>('/v1/items?limit=5', b2b))[0];
    const accounts = await list<{ exactId: string; code: string; blocked: boolean | null }>(
      '/v1/accounts?limit=50',
      b2b,
    );
    // A customer with a synced address and contact, and another account's address.
    let picked:
      | { code: string; exactId: string; address: string; contact: string; foreign: string }
      | undefined;
    await waitFor('synced addresses and contacts', async () => {
      // The second test's connection syncs the same division: only this connection's rows count.
      const [addressRows, contactRows] = await Promise.all([
        handle.db.select().from(addresses).where(eq(addresses.connectionId, firstConnection)),
        handle.db.select().from(contacts).where(eq(contacts.connectionId, firstConnection)),
      ]);
      for (const account of accounts.filter((a) => a.blocked !== true)) {
        const address = addressRows.find((a) => a.accountId === account.exactId && a.deletedAt === null);
        const contact = contactRows.find((c) => c.accountId === account.exactId && c.deletedAt === null);
        const foreign = addressRows.find((a) => a.accountId !== account.exactId && a.accountId !== null);
        if (address && contact && foreign) {
          picked = {
            ...account,
            address: address.exactId,
            contact: contact.exactId,
            foreign: foreign.exactId,
          };
          return true;
        }
      }
      return false;
    });
    if (!picked || !item) throw new Error('the simulator has no customer with an address and a contact');
    const place = (reference: string, deliveryAddressExactId: string) =>
      stack.call('POST', '/v1/orders', {
        token: b2b,
        body: {
          reference,
          customer: { code: picked?.code },
          lines: [{ sku: item.sku, quantity: '1' }],
          deliveryAddressExactId,
          contactExactId: picked?.contact,
        },
      });
    const own = await place('DELIVER-OWN', picked.address);
    const foreign = await place('DELIVER-FOREIGN', picked.foreign);
    const settled = async (res: { body: unknown }) => {
      let order: OrderView & { rejection: { problems: { code: string; field: string }[] } | null } =
        res.body as never;
      await waitFor('the order settled', async () => {
        order = (await stack.call('GET', `/v1/orders/${(res.body as OrderView).id}`, { token: b2b }))
          .body as never;
        return order.status === 'submitted' || order.status === 'rejected';
      });
      return order;
    };
    const submitted = await settled(own);
    expect(submitted).toMatchObject({ status: 'submitted' });
    const inExact = (await stack.simControl.orders(DIVISION)).data.find(
      (o) => o.OrderID === submitted.exactOrderId,
    );
    expect(inExact).toMatchObject({
      OrderedBy: picked.exactId,
      DeliveryAddress: picked.address,
      OrderedByContactPerson: picked.contact,
    });
    const rejected = await settled(foreign);
    expect(rejected.status).toBe('rejected');
    expect(rejected.rejection?.problems).toEqual([
      expect.objectContaining({ code: 'unknown_address', field: 'deliveryAddressExactId' }),
    ]);
    const posts = (await stack.simControl.orders(DIVISION)).postsByYourRef;
    expect(posts['B2B-DELIVER-FOREIGN']).toBeUndefined();
  });
});
