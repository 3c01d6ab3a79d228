import { type EdmType, type EndpointPath, type EndpointSchema, EXACT_SCHEMA } from '@exact-sync/exact-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collection, DIVISION, json, OTHER_DIVISION, type Sim, startSim } from './helpers.ts';

// Walks the schema: for every endpoint the simulator serves, a made-up field is refused with Exact's 400 (in
// $select, $filter and POST bodies) and every documented field is accepted.

const MADE_UP = 'NoSuchProperty';
const refusal = (field: string) => ({
  error: { code: '', message: { lang: '', value: `Property '${field}' does not exist.` } },
});

/** The endpoints the simulator serves, and a filter that finds at least one record where one is needed. */
const SERVED: Partial<Record<EndpointPath, (sim: Sim) => Promise<string | null>>> = {
  'sync/Logistics/Items': async () => 'Timestamp gt 1L',
  'sync/Inventory/StockPositions': async () => 'Timestamp gt 1L',
  'sync/Logistics/SalesItemPrices': async () => 'Timestamp gt 1L',
  'sync/CRM/Accounts': async () => 'Timestamp gt 1L',
  'sync/Deleted': async () => 'Timestamp gt 1L',
  'sync/CRM/Addresses': async () => 'Timestamp gt 1L',
  'sync/CRM/Contacts': async () => 'Timestamp gt 1L',
  'sync/SalesOrder/SalesOrderHeaders': async () => 'Timestamp gt 1L',
  'sync/SalesOrder/SalesOrderLines': async () => 'Timestamp gt 1L',
  'sync/SalesOrder/GoodsDeliveries': async () => 'Timestamp gt 1L',
  'sync/SalesOrder/GoodsDeliveryLines': async () => 'Timestamp gt 1L',
  'sync/SalesInvoice/SalesInvoices': async () => 'Timestamp gt 1L',
  'sales/SalesPriceLists': async () => null,
  'sales/SalesPriceListPeriods': async () => null,
  'sales/SalesPriceListVolumeDiscounts': async () => null,
  'vat/VATCodes': async () => null,
  'vat/VatPercentages': async () => null,
  'logistics/ItemGroups': async () => null,
  'logistics/Units': async () => null,
  'inventory/Warehouses': async () => null,
  'logistics/Items': async (sim) => `ID eq guid'${(await sim.entities<{ ID: string }>('items'))[0]?.ID}'`,
  'crm/Accounts': async (sim) => `ID eq guid'${(await sim.entities<{ ID: string }>('accounts'))[0]?.ID}'`,
  'salesorder/SalesOrders': async () => null,
  'webhooks/WebhookSubscriptions': async () => null,
  'system/Divisions': async () => `Code eq ${DIVISION}`,
};

/** A literal of the field's type for a `$filter`. */
function literal(type: EdmType): string {
  if (type === 'Edm.Guid') return "guid'00000000-0000-4000-8000-000000000000'";
  if (type === 'Edm.String') return "'x'";
  if (type === 'Edm.DateTime') return "datetime'2020-01-01T00:00:00'";
  if (type === 'Edm.Boolean') return 'true';
  return type === 'Edm.Int64' ? '1L' : '1';
}

let sim: Sim;
let token: string;
beforeAll(async () => {
  sim = await startSim({ minuteLimit: 100_000, dayLimit: 1_000_000, warehouseIdOnOrders: true });
  token = await sim.token();
  // A deletion, a delivered and invoiced order and a subscription, so their GETs have a record to show every field of.
  await sim.control('POST', `/_sim/divisions/${DIVISION}/mutate`, { entity: 'prices', delete: 1 });
  const [account] = await sim.entities<{ ID: string }>('accounts');
  const [item] = await sim.entities<{ ID: string }>('items');
  const posted = await sim.api(token, `${DIVISION}/salesorder/SalesOrders`, {
    method: 'POST',
    body: JSON.stringify({ OrderedBy: account?.ID, SalesOrderLines: [{ Item: item?.ID, Quantity: 1 }] }),
  });
  const { d } = await json<{ d: { OrderID: string } }>(posted);
  await sim.control('POST', `/_sim/divisions/${DIVISION}/orders/${d.OrderID}/deliver`, {});
  await sim.control('POST', `/_sim/divisions/${DIVISION}/orders/${d.OrderID}/invoice`, {});
  await sim.api(token, `${DIVISION}/webhooks/WebhookSubscriptions`, {
    method: 'POST',
    body: JSON.stringify({ CallbackURL: 'http://127.0.0.1:1/hook', Topic: 'Items' }),
  });
});
afterAll(async () => {
  await sim.close();
});

async function get(path: string, query: Record<string, string | null>): Promise<Response> {
  const params = Object.entries(query)
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return sim.api(token, `${DIVISION}/${path}?${params}`);
}

const served = Object.entries(SERVED).map(([path, filter]) => {
  const endpoint: EndpointSchema = EXACT_SCHEMA[path as EndpointPath];
  return [path, endpoint, filter] as const;
});

describe.each(served)('%s', (path, endpoint, findOne) => {
  const fields = Object.keys(endpoint.fields);

  it('serves every documented field (null where the simulator does not model it)', async () => {
    const response = await get(path, { $filter: await findOne(sim), $select: fields.join(',') });
    expect(response.status).toBe(200);
    const [record] = (await json<Collection>(response)).d.results;
    expect(record).toBeDefined();
    expect(Object.keys(record ?? {}).sort()).toEqual(['__metadata', ...fields].sort());
  });

  it('refuses a $select of a field it lacks with Exact 400', async () => {
    const response = await get(path, { $filter: await findOne(sim), $select: `${endpoint.key},${MADE_UP}` });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(refusal(MADE_UP));
  });

  it('refuses a $filter on a field it lacks, and takes every filterable one', async () => {
    const bad = await get(path, { $filter: `${MADE_UP} eq 1`, $select: endpoint.key });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual(refusal(MADE_UP));
    for (const field of endpoint.filterable) {
      const type = endpoint.fields[field] ?? 'Edm.String';
      const op = field === 'Timestamp' ? 'gt' : 'eq';
      const response = await get(path, { $filter: `${field} ${op} ${literal(type)}`, $select: endpoint.key });
      expect(response.status, `${field}: ${await response.clone().text()}`).toBe(200);
    }
  });
});

describe('POST bodies', () => {
  const post = (path: string, body: unknown) =>
    sim.api(token, `${DIVISION}/${path}`, { method: 'POST', body: JSON.stringify(body) });

  it('salesorder/SalesOrders refuses a field it lacks, on the order and on a line, and takes every postable one', async () => {
    const [account] = await sim.entities<{ ID: string }>('accounts');
    const [item] = await sim.entities<{ ID: string; Unit: string }>('items');
    const address = (await sim.entities<{ ID: string; Account: string }>('addresses')).find(
      (a) => a.Account === account?.ID,
    );
    const contact = (await sim.entities<{ ID: string; Account: string }>('contacts')).find(
      (c) => c.Account === account?.ID,
    );
    const [warehouse] = await sim.entities<{ ID: string }>('warehouses');
    const line = { Item: item?.ID, Quantity: 1 };
    const order = { OrderedBy: account?.ID, SalesOrderLines: [line] };
    // References must exist (and belong to the customer), so the full body names real ones.
    const references = {
      DeliverTo: account?.ID,
      InvoiceTo: account?.ID,
      DeliveryAddress: address?.ID,
      OrderedByContactPerson: contact?.ID,
      WarehouseID: warehouse?.ID,
    };
    const onOrder = await post('salesorder/SalesOrders', { ...order, [MADE_UP]: 1 });
    expect([onOrder.status, await onOrder.json()]).toEqual([400, refusal(MADE_UP)]);
    const onLine = await post('salesorder/SalesOrders', {
      ...order,
      SalesOrderLines: [{ ...line, [MADE_UP]: 1 }],
    });
    expect([onLine.status, await onLine.json()]).toEqual([400, refusal(MADE_UP)]);

    const values = (schema: EndpointSchema, given: Record<string, unknown>) =>
      Object.fromEntries(
        schema.postable.map((f) => {
          if (f in given) return [f, given[f]];
          const type = schema.fields[f];
          if (type === 'Edm.Guid') return [f, '00000000-0000-4000-8000-000000000000'];
          if (type === 'Edm.DateTime') return [f, '2026-01-01'];
          return [f, type === 'Edm.String' ? 'x' : 1];
        }),
      );
    const fullLine = values(EXACT_SCHEMA['salesorder/SalesOrderLines'], {
      ...line,
      UnitCode: item?.Unit,
      VATCode: '2',
    });
    const full = values(EXACT_SCHEMA['salesorder/SalesOrders'], {
      ...order,
      ...references,
      SalesOrderLines: [fullLine],
    });
    const accepted = await post('salesorder/SalesOrders', full);
    expect(accepted.status, await accepted.clone().text()).toBe(201);
  });

  it('webhooks/WebhookSubscriptions refuses a field it lacks and takes CallbackURL and Topic', async () => {
    const body = { CallbackURL: 'http://127.0.0.1:1/other', Topic: 'Accounts' };
    const bad = await post('webhooks/WebhookSubscriptions', { ...body, [MADE_UP]: 'x' });
    expect([bad.status, await bad.json()]).toEqual([400, refusal(MADE_UP)]);
    expect((await post('webhooks/WebhookSubscriptions', body)).status).toBe(201);
  });
});

describe('refusals count toward the error budget', () => {
  it('blocks the endpoint after ten refused $selects within the hour', async () => {
    const other = await sim.token({ division: OTHER_DIVISION });
    const path = `${OTHER_DIVISION}/sync/Inventory/StockPositions?$filter=Timestamp gt 1L&$select=ID,Modified`;
    for (let i = 0; i < 10; i++) expect((await sim.api(other, path)).status).toBe(400);
    const blocked = await sim.api(other, path.replace(',Modified', ''));
    expect(blocked.status).toBe(403);
  });
});
