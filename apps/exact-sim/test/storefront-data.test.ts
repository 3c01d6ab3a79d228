import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sim, startSim } from './helpers.ts';
import { type ItemRow, list, type PriceRow } from './storefront-helpers.ts';

// The storefront data the simulator generates per division, and how its records hang together.

interface Keyed {
  ID: string;
}
interface Account extends Keyed {
  Country: string;
  PriceList: string | null;
  DiscountSales: number | null;
  SalesVATCode: string | null;
  MainContact: string | null;
  PaymentConditionSales: string | null;
}
interface Address extends Keyed {
  Account: string;
  Type: number;
  Main: boolean;
}
interface Contact extends Keyed {
  Account: string;
  IsMainContact: boolean;
}
interface Discount extends Keyed {
  PriceListPeriod: string;
  PriceListCode: string;
  Item: string | null;
  ItemGroup: string | null;
  ItemGroupCode: string | null;
  EntryMethod: number;
  Discount: number | null;
  NewPrice: number | null;
  Quantity: number;
}
interface Period extends Keyed {
  PriceList: string;
  StartDate: string | null;
  EndDate: string | null;
  Type: number;
}
interface PriceList extends Keyed {
  Code: string;
  Entity: number;
}

let sim: Sim;
let token: string;
beforeAll(async () => {
  sim = await startSim({ items: 400, accounts: 60 });
  token = await sim.token();
});
afterAll(async () => {
  await sim.close();
});

const ms = (edm: string | null): number | null => (edm === null ? null : Number(/-?\d+/.exec(edm)?.[0]));

describe('generated storefront data', () => {
  it('gives every volume discount a period of an existing list and exactly one existing item or item group', async () => {
    const discounts = await sim.entities<Discount>('volumeDiscounts');
    const periods = new Map((await sim.entities<Period>('priceListPeriods')).map((p) => [p.ID, p]));
    const lists = new Map((await sim.entities<PriceList>('priceLists')).map((l) => [l.ID, l]));
    const items = new Set((await sim.entities<Keyed>('items')).map((i) => i.ID));
    const groups = new Set((await sim.entities<Keyed>('itemGroups')).map((g) => g.ID));
    expect(lists.size).toBe(4);
    expect(discounts.length).toBeGreaterThan(20);
    for (const d of discounts) {
      const period = periods.get(d.PriceListPeriod);
      const owner = period && lists.get(period.PriceList);
      expect(owner?.Code).toBe(d.PriceListCode);
      expect(d.Item === null).not.toBe(d.ItemGroup === null);
      if (d.Item !== null) expect(items.has(d.Item)).toBe(true);
      if (d.ItemGroup !== null) expect(groups.has(d.ItemGroup)).toBe(true);
      // Item-based lists (Entity 1) name items, group-based ones (Entity 2) item groups.
      expect(owner?.Entity).toBe(d.Item === null ? 2 : 1);
      expect(d.EntryMethod === 1 ? d.Discount : d.NewPrice).toEqual(expect.any(Number));
    }
    expect(new Set(discounts.map((d) => d.EntryMethod))).toEqual(new Set([1, 2]));
    expect(new Set(discounts.map((d) => d.Quantity)).size).toBeGreaterThan(2);
  });

  it('dates the price list periods: one ended, one current, special offers on item lists', async () => {
    const periods = await sim.entities<Period>('priceListPeriods');
    const now = Date.UTC(2026, 0, 1);
    const ended = periods.filter((p) => (ms(p.EndDate) ?? Number.POSITIVE_INFINITY) < now);
    const current = periods.filter((p) => p.EndDate === null && (ms(p.StartDate) ?? 0) <= now);
    expect(current).toHaveLength(4);
    expect(ended.length).toBeGreaterThanOrEqual(4);
    expect(periods.filter((p) => p.Type === 2)).toHaveLength(2);
  });

  it('gives accounts price lists, discounts, VAT treatment and a main contact among their own', async () => {
    const accounts = await sim.entities<Account>('accounts');
    const contacts = new Map((await sim.entities<Contact>('contacts')).map((c) => [c.ID, c]));
    const lists = new Set((await sim.entities<Keyed>('priceLists')).map((l) => l.ID));
    expect(accounts.some((a) => a.PriceList !== null)).toBe(true);
    expect(accounts.some((a) => a.PriceList === null)).toBe(true);
    expect(accounts.some((a) => (a.DiscountSales ?? 0) > 0 && (a.DiscountSales ?? 1) < 1)).toBe(true);
    for (const account of accounts) {
      if (account.PriceList !== null) expect(lists.has(account.PriceList)).toBe(true);
      // Customers abroad buy VAT-free within the EU (code 3); Dutch ones take the item's code.
      expect(account.SalesVATCode).toBe(account.Country === 'NL' ? null : '3');
      const main = contacts.get(account.MainContact ?? '');
      expect(main).toMatchObject({ Account: account.ID, IsMainContact: true });
      expect(account.PaymentConditionSales).toMatch(/^\d\d$/);
    }
  });

  it('gives each account a visit, an invoice and a delivery address (Exact types 1, 3, 4), each Main', async () => {
    const accounts = await sim.entities<Keyed>('accounts');
    const addresses = await sim.entities<Address>('addresses');
    expect(addresses).toHaveLength(accounts.length * 3);
    for (const account of accounts) {
      const own = addresses.filter((a) => a.Account === account.ID);
      expect(own.map((a) => [a.Type, a.Main])).toEqual([
        [1, true],
        [3, true],
        [4, true],
      ]);
    }
  });

  it('sells some items in a bigger unit whose price converts from the item unit', async () => {
    const prices = await sim.entities<PriceRow>('prices');
    const items = new Map((await sim.entities<ItemRow>('items')).map((i) => [i.ID, i]));
    const units = new Set(
      (await list<{ Code: string }>(sim, token, 'logistics/Units')).d.results.map((u) => u.Code),
    );
    const bigger = prices.filter((p) => p.Unit !== p.DefaultItemUnit);
    expect(bigger.length).toBeGreaterThan(5);
    for (const price of bigger) {
      const item = items.get(price.Item);
      expect(price.DefaultItemUnit).toBe(item?.Unit);
      expect(units.has(price.Unit)).toBe(true);
      expect(price.NumberOfItemsPerUnit).toBeGreaterThan(1);
      const single = prices.find(
        (p) =>
          p.Item === price.Item && p.Account === null && p.Unit === p.DefaultItemUnit && p.Quantity === 0,
      );
      // A box of n costs a little less than n single units (5 to 10 % off).
      const separately = (single?.Price ?? 0) * price.NumberOfItemsPerUnit;
      expect(price.Price).toBeLessThan(separately);
      expect(price.Price).toBeGreaterThan(separately * 0.89);
    }
    for (const price of prices.filter((p) => p.Unit === p.DefaultItemUnit))
      expect(price.NumberOfItemsPerUnit).toBe(1);
  });

  it('gives items groups, VAT codes, validity and flags that exist and vary', async () => {
    type Item = ItemRow & {
      ItemGroupCode: string;
      ItemGroupDescription: string;
      IsStockItem: boolean;
      IsFractionAllowedItem: boolean;
      EndDate: string | null;
      PictureUrl: string | null;
    };
    const items = await sim.entities<Item>('items');
    const groups = new Map(
      (await sim.entities<{ ID: string; Code: string; Description: string }>('itemGroups')).map((g) => [
        g.ID,
        g,
      ]),
    );
    const vatCodes = new Set((await sim.entities<{ Code: string }>('vatCodes')).map((v) => v.Code));
    for (const item of items) {
      const group = groups.get(item.ItemGroup ?? '');
      expect([group?.Code, group?.Description]).toEqual([item.ItemGroupCode, item.ItemGroupDescription]);
      expect(vatCodes.has(item.SalesVatCode ?? '')).toBe(true);
      expect(item.IsFractionAllowedItem).toBe(['m', 'l', 'kg'].includes(item.Unit));
    }
    for (const flag of ['IsSalesItem', 'IsStockItem'] as const) {
      expect(new Set(items.map((i) => i[flag]))).toEqual(new Set([true, false]));
    }
    expect(items.some((i) => i.EndDate !== null)).toBe(true);
    expect(items.some((i) => i.PictureUrl !== null)).toBe(true);
  });

  it('has Dutch VAT codes with dated percentages and one main warehouse among several with stock', async () => {
    type Vat = { ID: string; Code: string; Type: string; Percentage: number };
    type Pct = { VATCodeID: string; Percentage: number; StartDate: string | null; EndDate: string | null };
    const codes = await sim.entities<Vat>('vatCodes');
    const pcts = await sim.entities<Pct>('vatPercentages');
    const byCode = (code: string) => codes.find((c) => c.Code === code);
    expect(codes.map((c) => [c.Code, c.Type]).sort()).toEqual([
      ['0', 'N'],
      ['1', 'E'],
      ['2', 'E'],
      ['3', 'B'],
      ['4', 'I'],
      ['5', 'I'],
    ]);
    const high = pcts
      .filter((p) => p.VATCodeID === byCode('2')?.ID)
      .map((p) => [p.Percentage, ms(p.StartDate)]);
    expect(high).toEqual([
      [0.19, null],
      [0.21, Date.UTC(2012, 9, 1)],
    ]);
    const low = pcts.filter((p) => p.VATCodeID === byCode('1')?.ID).map((p) => [p.Percentage, ms(p.EndDate)]);
    expect(low).toEqual([
      [0.06, Date.UTC(2018, 11, 31)],
      [0.09, null],
    ]);
    const warehouses = await sim.entities<{ ID: string; Main: number; Description: string }>('warehouses');
    expect(warehouses.map((w) => w.Main).sort()).toEqual([0, 0, 1]);
    const stock = await sim.entities<{ Warehouse: string; WarehouseDescription: string }>('stock');
    for (const warehouse of warehouses) {
      const here = stock.filter((s) => s.Warehouse === warehouse.ID);
      expect(here.length).toBeGreaterThan(0);
      expect(new Set(here.map((s) => s.WarehouseDescription))).toEqual(new Set([warehouse.Description]));
    }
  });
});

describe('dataset settings', () => {
  it('repeats for a seed, changes with it, and follows the configured sizes', async () => {
    const ids = async (entity: string) => (await sim.entities<Keyed>(entity)).map((r) => r.ID).sort();
    const before = [await ids('volumeDiscounts'), await ids('addresses')];
    await sim.control('POST', '/_sim/reset', {});
    expect([await ids('volumeDiscounts'), await ids('addresses')]).toEqual(before);
    await sim.control('POST', '/_sim/reset', { seed: 2 });
    expect(await ids('addresses')).not.toEqual(before[1]);
    await sim.control('POST', '/_sim/reset', {
      seed: 1,
      accounts: 10,
      addressesPerAccount: 5,
      contactsPerAccount: 1,
      priceLists: 7,
    });
    const addresses = await sim.entities<Address>('addresses');
    expect(addresses).toHaveLength(50);
    expect(addresses.filter((a) => a.Type === 4)).toHaveLength(30);
    expect(await sim.entities('contacts')).toHaveLength(10);
    expect(await sim.entities('priceLists')).toHaveLength(7);
    await sim.control('POST', '/_sim/reset', {
      items: 400,
      accounts: 60,
      addressesPerAccount: 3,
      contactsPerAccount: 2,
      priceLists: 4,
    });
  });
});
