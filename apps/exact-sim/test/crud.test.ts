import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Collection,
  DIVISION,
  type ExactErrorBody,
  json,
  readAll,
  type Sim,
  startSim,
} from './helpers.ts';

interface Item {
  ID: string;
  Code: string;
  Description: string;
  IsSalesItem: boolean;
}

interface Account {
  ID: string;
  Code: string;
  Name: string;
}

let sim: Sim;
let token: string;
beforeAll(async () => {
  sim = await startSim({ items: 200, accounts: 20 });
  token = await sim.token();
});
afterAll(async () => {
  await sim.close();
});

describe('mandatory filtering', () => {
  it.each(['logistics/Items', 'crm/Accounts'])('refuses %s without $filter', async (path) => {
    const response = await sim.api(token, `${DIVISION}/${path}?$select=ID`);
    expect(response.status).toBe(400);
    expect((await json<ExactErrorBody>(response)).error.message.value).toMatch(/mandatory filtering/);
  });
});

describe('targeted lookups', () => {
  it('finds an item by Code and by ID', async () => {
    const [item] = await sim.entities<Item>('items');
    const byCode = await json<Collection<Item>>(
      await sim.api(token, `${DIVISION}/logistics/Items?$filter=Code eq '${item?.Code}'&$select=ID,Code`),
    );
    expect(byCode.d.results).toEqual([
      expect.objectContaining({
        ID: item?.ID,
        Code: item?.Code,
        __metadata: expect.objectContaining({ type: 'Exact.Web.Api.Models.Logistics.Item' }),
      }),
    ]);
    const byId = await json<Collection<Item>>(
      await sim.api(token, `${DIVISION}/logistics/Items?$filter=ID eq guid'${item?.ID}'`),
    );
    expect(byId.d.results[0]?.Description).toBe(item?.Description);
  });

  it('matches account codes only in their padded 18-character form, as Exact stores them', async () => {
    const [account] = await sim.entities<Account>('accounts');
    const code = account?.Code.trim() ?? '';
    const bare = await sim.api(token, `${DIVISION}/crm/Accounts?$filter=Code eq '${code}'&$select=ID,Code`);
    expect((await json<Collection<Account>>(bare)).d.results).toEqual([]);
    const padded = await sim.api(
      token,
      `${DIVISION}/crm/Accounts?$filter=Code eq '${code.padStart(18, ' ')}'&$select=ID,Code,Name`,
    );
    const page = await json<Collection<Account>>(padded);
    expect(page.d.results.map((a) => a.ID)).toEqual([account?.ID]);
    expect(page.d.results[0]?.Code).toBe(code.padStart(18, ' '));
  });

  it('reads one record by key and answers 404 for an unknown one', async () => {
    const [account] = await sim.entities<Account>('accounts');
    const one = await sim.api(token, `${DIVISION}/crm/Accounts(guid'${account?.ID}')?$select=Name`);
    expect((await json<{ d: Account }>(one)).d.Name).toBe(account?.Name);
    const missing = await sim.api(
      token,
      `${DIVISION}/crm/Accounts(guid'00000000-0000-4000-8000-000000000000')`,
    );
    expect(missing.status).toBe(404);
    expect((await json<ExactErrorBody>(missing)).error.message.value).toBeTruthy();
  });

  it('answers an empty collection when nothing matches', async () => {
    const response = await sim.api(token, `${DIVISION}/logistics/Items?$filter=Code eq 'NOPE'`);
    expect((await json<Collection>(response)).d.results).toEqual([]);
  });
});

describe('paging', () => {
  it('serves 60 records per page with $skiptoken links covering every match once', async () => {
    const items = await sim.entities<Item>('items');
    const expected = items.filter((i) => i.IsSalesItem).map((i) => i.ID);
    const first = await json<Collection<Item>>(
      await sim.api(token, `${DIVISION}/logistics/Items?$filter=IsSalesItem eq true&$select=ID`),
    );
    expect(first.d.results).toHaveLength(60);
    expect(first.d.__next).toContain('$skiptoken=guid');
    const { records } = await readAll<Item>(
      sim,
      token,
      `${DIVISION}/logistics/Items?$filter=IsSalesItem eq true&$select=ID`,
    );
    expect(records.map((r) => r.ID).sort()).toEqual(expected.sort());
  });

  it('honours $top', async () => {
    const page = await json<Collection>(
      await sim.api(token, `${DIVISION}/logistics/Items?$filter=IsSalesItem eq true&$top=1`),
    );
    expect(page.d.results).toHaveLength(1);
    expect(page.d.__next).toBeUndefined();
  });

  it('rejects unknown filter fields with Exact error body', async () => {
    const response = await sim.api(token, `${DIVISION}/logistics/Items?$filter=Colour eq 'red'`);
    expect(response.status).toBe(400);
    expect((await json<ExactErrorBody>(response)).error.message.value).toMatch(/Colour/);
  });
});
