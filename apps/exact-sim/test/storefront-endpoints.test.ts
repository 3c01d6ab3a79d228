import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collection, DIVISION, json, readAll, type Sim, startSim } from './helpers.ts';
import { list, mutate, syncAll } from './storefront-helpers.ts';

// The storefront endpoints: REST lists paged by 60 with $filter/$select, sync endpoints paged by 1,000 with
// Timestamps, control mutations of the new entities and their deletions in sync/Deleted.

interface Stamped {
  ID: string;
  Timestamp: number | string;
}
interface Deleted {
  EntityKey: string;
  EntityType: number;
}

let sim: Sim;
let token: string;
beforeAll(async () => {
  sim = await startSim({ items: 2000, accounts: 400, minuteLimit: 100_000, dayLimit: 1_000_000 });
  token = await sim.token();
});
afterAll(async () => {
  await sim.close();
});

const deletions = async (after: number) =>
  (
    await readAll<Deleted>(
      sim,
      token,
      `${DIVISION}/sync/Deleted?$filter=Timestamp gt ${after}L&$select=EntityKey,EntityType`,
    )
  ).records;

const highest = (records: Stamped[]) => Math.max(...records.map((r) => Number(r.Timestamp)));

describe('REST lists', () => {
  it('serve price list volume discounts 60 a page with __next, unfiltered and filtered by period and item', async () => {
    type Row = { ID: string; PriceListPeriod: string; Item: string | null };
    const path = `${DIVISION}/sales/SalesPriceListVolumeDiscounts?$select=ID,PriceListPeriod,Item`;
    const first = await json<Collection<Row>>(await sim.api(token, path));
    expect(first.d.results).toHaveLength(60);
    expect(first.d.__next).toContain('$skiptoken=');
    const all = (await readAll<Row>(sim, token, path)).records;
    expect(all).toHaveLength((await sim.entities('volumeDiscounts')).length);
    expect(new Set(all.map((r) => r.ID)).size).toBe(all.length);

    const period = all[0]?.PriceListPeriod;
    const inPeriod = await list<Row>(
      sim,
      token,
      'sales/SalesPriceListVolumeDiscounts',
      `$filter=PriceListPeriod eq guid'${period}'`,
    );
    expect(inPeriod.d.results.length).toBeGreaterThan(0);
    expect(inPeriod.d.results.every((r) => r.PriceListPeriod === period)).toBe(true);
    const item = all.find((r) => r.Item !== null)?.Item;
    const forItem = await list<Row>(
      sim,
      token,
      'sales/SalesPriceListVolumeDiscounts',
      `$filter=Item eq guid'${item}'`,
    );
    expect(forItem.d.results.map((r) => r.Item)).toEqual(forItem.d.results.map(() => item));
  });

  it.each([
    ['sales/SalesPriceLists', "Code eq 'PL02'", 1],
    ['sales/SalesPriceListPeriods', 'Type eq 2', 2],
    ['vat/VATCodes', "Code eq '4'", 1],
    ['logistics/ItemGroups', "Code eq 'LMP'", 1],
    ['logistics/Units', "Code eq 'box'", 1],
    ['inventory/Warehouses', "Code eq '1'", 1],
  ])(
    '%s lists without a filter (Exact documents no mandatory filtering) and filters',
    async (path, filter, n) => {
      const all = await list<{ ID: string }>(sim, token, path);
      expect(all.d.results.length).toBeGreaterThan(n);
      expect((await list(sim, token, path, `$filter=${filter}`)).d.results).toHaveLength(n);
    },
  );

  it('filters VAT percentages by code and reads one record by key', async () => {
    const [high] = (await list<{ ID: string }>(sim, token, 'vat/VATCodes', "$filter=Code eq '2'")).d.results;
    const rows = await list<{ ID: string; Percentage: number }>(
      sim,
      token,
      'vat/VatPercentages',
      `$filter=VATCodeID eq guid'${high?.ID}'&$select=ID,Percentage`,
    );
    expect(rows.d.results.map((r) => r.Percentage).sort()).toEqual([0.19, 0.21]);
    const one = await sim.api(token, `${DIVISION}/vat/VATCodes(guid'${high?.ID}')?$select=Code,Type`);
    expect((await json<{ d: unknown }>(one)).d).toMatchObject({ Code: '2', Type: 'E' });
  });
});

describe('sync endpoints', () => {
  it('serve addresses and contacts 1,000 a page in ascending Timestamps, then only what changed', async () => {
    const path = `${DIVISION}/sync/CRM/Addresses?$filter=Timestamp gt 1L&$select=ID,Account,Type,Timestamp`;
    const { records, calls } = await readAll<Stamped>(sim, token, path);
    expect(records).toHaveLength(1200);
    expect(calls).toBe(2);
    const stamps = records.map((r) => Number(r.Timestamp));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    const contacts = await syncAll<Stamped>(sim, token, 'CRM/Contacts', 'ID,Account,FullName,Timestamp');
    expect(contacts).toHaveLength(800);

    const since = Math.max(highest(records), highest(contacts));
    const { body } = await mutate(sim, { entity: 'addresses', update: 2, create: 1 });
    const changed = await json<Collection<Stamped>>(
      await sim.api(
        token,
        `${DIVISION}/sync/CRM/Addresses?$filter=Timestamp gt ${since}&$select=ID,Timestamp`,
      ),
    );
    expect(changed.d.results.map((r) => r.ID).sort()).toEqual([...body.created, ...body.updated].sort());
  });

  it('refuses any filter but Timestamp on the new sync endpoints', async () => {
    const response = await sim.api(
      token,
      `${DIVISION}/sync/SalesOrder/SalesOrderHeaders?$filter=Status eq 12&$select=ID`,
    );
    expect(response.status).toBe(400);
  });
});

describe('control mutations of the storefront entities', () => {
  it('creates, updates and deletes volume discounts at random and as given records', async () => {
    type Row = { ID: string; Discount: number | null; PriceListPeriod: string; Item: string | null };
    const before = new Map((await sim.entities<Row>('volumeDiscounts')).map((r) => [r.ID, r]));
    const random = await mutate(sim, { entity: 'volumeDiscounts', create: 2, update: 3, delete: 2 });
    expect(random.status).toBe(200);
    const after = new Map((await sim.entities<Row>('volumeDiscounts')).map((r) => [r.ID, r]));
    expect(after.size).toBe(before.size);
    for (const id of random.body.deleted) expect(after.has(id)).toBe(false);
    for (const id of random.body.created) expect(before.has(id)).toBe(false);

    const [period] = await sim.entities<{ ID: string }>('priceListPeriods');
    const [item] = await sim.entities<{ ID: string; Code: string }>('items');
    const given = await mutate(sim, {
      entity: 'volumeDiscounts',
      records: [
        { PriceListPeriod: period?.ID, Item: item?.ID, Quantity: 100, EntryMethod: 2, NewPrice: 1.23 },
      ],
    });
    const created = (
      await sim.entities<Row & { ItemCode: string; NewPrice: number }>('volumeDiscounts')
    ).find((r) => r.ID === given.body.created[0]);
    expect(created).toMatchObject({ PriceListPeriod: period?.ID, ItemCode: item?.Code, NewPrice: 1.23 });
  });

  it('refuses bad references and deleting master data in use, writing nothing', async () => {
    const [period] = await sim.entities<{ ID: string }>('priceListPeriods');
    const bad = await mutate(sim, {
      entity: 'volumeDiscounts',
      records: [
        {
          PriceListPeriod: period?.ID,
          ItemGroup: null,
          Item: null,
          EntryMethod: 1,
          Discount: 0.1,
          Quantity: 1,
        },
      ],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/records\[0\]\.Item: a volume discount names either/);
    const unknown = await mutate(sim, {
      entity: 'addresses',
      records: [{ Account: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(JSON.stringify(unknown.body)).toMatch(/records\[0\]\.Account: no such account/);
    const [item] = await sim.entities<{ ItemGroup: string }>('items');
    const inUse = await mutate(sim, { entity: 'itemGroups', deleteIds: [item?.ItemGroup] });
    expect(inUse.status).toBe(400);
    expect(JSON.stringify(inUse.body)).toMatch(/in use by \d+ items/);
    expect((await sim.entities<{ ID: string }>('itemGroups')).map((g) => g.ID)).toContain(item?.ItemGroup);
  });

  it('logs deleted addresses (3) and contacts (5), also when their account goes', async () => {
    const logBefore = await syncAll<Stamped>(sim, token, 'Deleted', 'ID,Timestamp');
    const mark = logBefore.length > 0 ? highest(logBefore) : 1;
    const [address] = await sim.entities<{ ID: string }>('addresses');
    await mutate(sim, { entity: 'addresses', deleteIds: [address?.ID] });
    const account = (await sim.entities<{ ID: string }>('accounts'))[5];
    const own = async (entity: string) =>
      (await sim.entities<{ ID: string; Account: string }>(entity)).filter((r) => r.Account === account?.ID);
    const [ownAddresses, ownContacts] = [await own('addresses'), await own('contacts')];
    await mutate(sim, { entity: 'accounts', deleteIds: [account?.ID] });
    const logged = await deletions(mark);
    const of = (type: number) =>
      logged
        .filter((d) => d.EntityType === type)
        .map((d) => d.EntityKey)
        .sort();
    expect(of(3)).toEqual([address?.ID, ...ownAddresses.map((a) => a.ID)].sort());
    expect(of(5)).toEqual(ownContacts.map((c) => c.ID).sort());
    expect(of(2)).toEqual([account?.ID]);
    expect(await own('addresses')).toEqual([]);
  });
});
