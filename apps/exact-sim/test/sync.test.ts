import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Collection,
  DIVISION,
  type ExactErrorBody,
  json,
  readAll,
  type Sim,
  startSim,
} from './helpers.ts';

interface Stamped {
  ID: string;
  Timestamp: number | string;
  __metadata?: { uri: string; type: string };
}

interface Deleted extends Stamped {
  EntityKey: string;
  EntityType: number;
}

let sim: Sim;
let token: string;
beforeEach(async () => {
  sim = await startSim({ items: 2500, accounts: 30 });
  token = await sim.token();
});
afterEach(async () => {
  await sim.close();
});

const itemsPath = (after = 1, select = 'ID,Code,Timestamp') =>
  `${DIVISION}/sync/Logistics/Items?$filter=Timestamp gt ${after}L&$select=${select}`;

describe('sync pages', () => {
  it('serves 1,000 records per page, ascending Timestamps, absolute __next links, none on the last page', async () => {
    const first = await json<Collection<Stamped>>(await sim.api(token, itemsPath()));
    expect(first.d.results).toHaveLength(1000);
    const stamps = first.d.results.map((r) => Number(r.Timestamp));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    // Int64 Timestamps come as numbers or as JSON strings (timestampsAsStrings 'sometimes', the default).
    expect(new Set(first.d.results.map((r) => typeof r.Timestamp))).toEqual(new Set(['number', 'string']));
    expect(first.d.__next).toMatch(new RegExp(`^${sim.url}/api/v1/${DIVISION}/sync/Logistics/Items\\?`));
    expect(first.d.results[0]?.__metadata?.type).toBe('Exact.Web.Api.Models.Logistics.Item');

    const { records, calls } = await readAll<Stamped>(sim, token, itemsPath());
    expect(calls).toBe(3);
    expect(records).toHaveLength(2500);
    expect(new Set(records.map((r) => r.ID)).size).toBe(2500);
  });

  it('returns only what changed after the stored Timestamp, also without the L suffix', async () => {
    const { records } = await readAll<Stamped>(sim, token, itemsPath());
    const highest = Math.max(...records.map((r) => Number(r.Timestamp)));
    const { updated } = (
      await sim.control<{ updated: string[] }>('POST', `/_sim/divisions/${DIVISION}/mutate`, {
        entity: 'items',
        update: 3,
      })
    ).body;
    const page = await json<Collection<Stamped>>(
      await sim.api(
        token,
        `${DIVISION}/sync/Logistics/Items?$filter=Timestamp gt ${highest}&$select=ID,Timestamp`,
      ),
    );
    expect(page.d.results.map((r) => r.ID).sort()).toEqual([...updated].sort());
    expect(page.d.__next).toBeUndefined();
  });

  it('serves a record changed mid-run again later in the same run', async () => {
    const first = await json<Collection<Stamped>>(await sim.api(token, itemsPath()));
    const early = first.d.results[5];
    await sim.control('POST', `/_sim/divisions/${DIVISION}/mutate`, {
      entity: 'items',
      records: [{ ID: early?.ID, Description: 'Changed' }],
    });
    let next = first.d.__next;
    const later: Stamped[] = [];
    while (next) {
      const page = await json<Collection<Stamped>>(await sim.api(token, next));
      later.push(...page.d.results);
      next = page.d.__next;
    }
    const again = later.filter((r) => r.ID === early?.ID);
    expect(again).toHaveLength(1);
    expect(Number(again[0]?.Timestamp)).toBeGreaterThan(Number(early?.Timestamp ?? 0));
  });

  it('keeps one Timestamp counter per division across entities', async () => {
    const all: number[] = [];
    for (const path of [
      'Logistics/Items',
      'Inventory/StockPositions',
      'Logistics/SalesItemPrices',
      'CRM/Accounts',
    ]) {
      const { records } = await readAll<Stamped>(
        sim,
        token,
        `${DIVISION}/sync/${path}?$filter=Timestamp gt 1&$select=ID,Timestamp`,
      );
      all.push(...records.map((r) => Number(r.Timestamp)));
    }
    expect(new Set(all).size).toBe(all.length);
  });

  it('returns the documented fields in Exact formats', async () => {
    const stock = await json<Collection<Record<string, unknown>>>(
      await sim.api(
        token,
        `${DIVISION}/sync/Inventory/StockPositions?$filter=Timestamp gt 1L&$select=ID,ItemId,ItemCode,Warehouse,WarehouseCode,CurrentStock,FreeStock,PlanningIn,PlanningOut,ProjectedStock,ReservedStock,Timestamp`,
      ),
    );
    const s = stock.d.results[0] ?? {};
    expect(s.Timestamp).toEqual(expect.any(Number));
    expect(s.ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(s.ProjectedStock).toBe(Number(s.CurrentStock) + Number(s.PlanningIn) - Number(s.PlanningOut));
    const warehouses = new Set(stock.d.results.map((r) => r.WarehouseCode));
    expect(warehouses.size).toBeGreaterThan(1);

    const accounts = await json<Collection<{ Code: string; Status: string }>>(
      await sim.api(
        token,
        `${DIVISION}/sync/CRM/Accounts?$filter=Timestamp gt 1L&$select=Code,Name,Status,IsSales,Blocked`,
      ),
    );
    expect(accounts.d.results[0]?.Code).toHaveLength(18);
    expect(accounts.d.results[0]?.Code).toMatch(/^ +\d+$/);
    expect(accounts.d.results[0]?.Status).toBe('C');

    const prices = await json<Collection<{ Account: string | null; Currency: string }>>(
      await sim.api(
        token,
        `${DIVISION}/sync/Logistics/SalesItemPrices?$filter=Timestamp gt 1L&$select=Item,ItemCode,Account,Currency,Price,Quantity,Unit,StartDate,EndDate`,
      ),
    );
    expect(prices.d.results.some((p) => p.Account === null)).toBe(true);
    expect(prices.d.results.some((p) => p.Account !== null)).toBe(true);
    expect(prices.d.results[0]?.Currency).toBe('EUR');
  });
});

describe('sync request rules', () => {
  async function expect400(path: string, message: RegExp): Promise<void> {
    const response = await sim.api(token, path);
    expect(response.status).toBe(400);
    expect((await json<ExactErrorBody>(response)).error.message.value).toMatch(message);
  }

  it('requires $select and rejects * and unknown fields', async () => {
    await expect400(`${DIVISION}/sync/Logistics/Items?$filter=Timestamp gt 1L`, /\$select/);
    await expect400(itemsPath(1, '*'), /\$select=\*/);
    await expect400(itemsPath(1, 'ID,Nope'), /Nope/);
  });

  it("refuses a field the endpoint does not have, with Exact's message", async () => {
    // Exact's sync/Inventory/StockPositions has no Modified (Pi-Systems, picqer and leapforce agree).
    await expect400(
      `${DIVISION}/sync/Inventory/StockPositions?$filter=Timestamp gt 1L&$select=ID,Modified`,
      /Property 'Modified' does not exist/,
    );
  });

  it('allows only the Timestamp filter', async () => {
    await expect400(`${DIVISION}/sync/Logistics/Items?$filter=Code eq 'X'&$select=ID`, /Timestamp/);
    await expect400(`${DIVISION}/sync/Logistics/Items?$filter=Timestamp lt 5&$select=ID`, /Timestamp/);
    await expect400(`${DIVISION}/sync/Logistics/Items?$filter=garbage((&$select=ID`, /not valid/);
  });
});

describe('deletions', () => {
  it('logs deletions with Exact entity types, cascading from an item to its stock and prices', async () => {
    const stock = await sim.entities<{ ItemId: string }>('stock');
    const prices = await sim.entities<{ Item: string }>('prices');
    const itemId = stock.find((s) => prices.some((p) => p.Item === s.ItemId))?.ItemId ?? '';
    const before = await sim.api(token, `${DIVISION}/sync/Deleted?$select=ID,Timestamp`);
    expect((await json<Collection>(before)).d.results).toHaveLength(0);
    const answer = await sim.control<{ deleted: string[] }>('POST', `/_sim/divisions/${DIVISION}/mutate`, {
      entity: 'items',
      deleteIds: [itemId],
    });
    expect(answer.body.deleted).toEqual([itemId]);

    const all = await json<Collection<Deleted>>(
      await sim.api(
        token,
        `${DIVISION}/sync/Deleted?$filter=Timestamp gt 1L&$select=ID,EntityKey,EntityType,DeletedBy,DeletedDate,Division,Timestamp`,
      ),
    );
    const types = all.d.results.map((d) => d.EntityType);
    expect(types).toContain(9);
    expect(types).toContain(15);
    expect(types).toContain(8);
    expect(all.d.results.find((d) => d.EntityType === 9)?.EntityKey).toBe(itemId);

    const onlyItems = await json<Collection<Deleted>>(
      await sim.api(
        token,
        `${DIVISION}/sync/Deleted?$filter=Timestamp gt 1L and EntityType eq 9&$select=EntityKey,EntityType`,
      ),
    );
    expect(onlyItems.d.results.map((d) => d.EntityKey)).toEqual([itemId]);
    expect((await sim.entities<{ ItemId: string }>('stock')).some((s) => s.ItemId === itemId)).toBe(false);

    const accounts = await sim.control<{ deleted: string[] }>('POST', `/_sim/divisions/${DIVISION}/mutate`, {
      entity: 'accounts',
      delete: 1,
    });
    const accountDeletions = await json<Collection<Deleted>>(
      await sim.api(
        token,
        `${DIVISION}/sync/Deleted?$filter=Timestamp gt 1L and EntityType eq 2&$select=EntityKey`,
      ),
    );
    expect(accountDeletions.d.results.map((d) => d.EntityKey)).toEqual(accounts.body.deleted);
  });
});

describe('division moves', () => {
  it('restarts Timestamps from 1, clears the deletions log and sets DivisionMoveDate', async () => {
    await sim.control('POST', `/_sim/divisions/${DIVISION}/mutate`, { entity: 'accounts', delete: 2 });
    const before = await readAll<Stamped>(sim, token, itemsPath());
    const highest = Math.max(...before.records.map((r) => Number(r.Timestamp)));
    const divisions = async () =>
      (
        await json<Collection<{ Code: number; DivisionMoveDate: string | null }>>(
          await sim.api(token, `${DIVISION}/system/Divisions`),
        )
      ).d.results;
    expect((await divisions()).find((d) => d.Code === DIVISION)?.DivisionMoveDate).toBeNull();

    const moved = await sim.control<{ moveDate: number }>('POST', `/_sim/divisions/${DIVISION}/move`);
    expect(moved.status).toBe(200);
    expect((await divisions()).find((d) => d.Code === DIVISION)?.DivisionMoveDate).toBe(
      `/Date(${moved.body.moveDate})/`,
    );
    const stale = await json<Collection>(await sim.api(token, itemsPath(highest)));
    expect(stale.d.results).toHaveLength(0);
    const after = await readAll<Stamped>(sim, token, itemsPath(0));
    expect(after.records).toHaveLength(2500);
    expect(Math.min(...after.records.map((r) => Number(r.Timestamp)))).toBeLessThan(10_000);
    const deleted = await json<Collection>(await sim.api(token, `${DIVISION}/sync/Deleted?$select=ID`));
    expect(deleted.d.results).toHaveLength(0);
  });
});
