import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DIVISION,
  type ExactErrorBody,
  json,
  OTHER_DIVISION,
  rateHeaders,
  type Sim,
  startSim,
} from './helpers.ts';

let sim: Sim;
let token: string;
beforeEach(async () => {
  sim = await startSim({ minuteLimit: 1000 });
  token = await sim.token();
});
afterEach(async () => {
  await sim.close();
});

const BAD = `${DIVISION}/logistics/Items?$select=ID`;
const bad = () => sim.api(token, BAD);

describe('error budget', () => {
  it('blocks an endpoint with 403 after 10 errors in the hour, for that client, division and endpoint only', async () => {
    for (let i = 0; i < 10; i++) expect((await bad()).status).toBe(400);
    const blocked = await bad();
    expect(blocked.status).toBe(403);
    expect((await json<ExactErrorBody>(blocked)).error.message.value).toMatch(/blocked/);
    // A good request to the same endpoint is blocked too; the key in the URL does not make it another endpoint.
    const [item] = await sim.entities<{ ID: string }>('items');
    expect((await sim.api(token, `${DIVISION}/logistics/Items(guid'${item?.ID}')`)).status).toBe(403);
    expect((await sim.api(token, `${DIVISION}/crm/Accounts?$filter=Code eq '1001'`)).status).toBe(200);
    expect((await sim.api(token, `${OTHER_DIVISION}/logistics/Items?$filter=Code eq 'X'`)).status).toBe(200);
  });

  it.each([
    // Exact's sync/Inventory/StockPositions has no Modified; its plain logistics/Items and crm/Accounts no Timestamp.
    [`${DIVISION}/sync/Inventory/StockPositions?$filter=Timestamp gt 1L&$select=ID,Modified`, 'Modified'],
    [`${DIVISION}/logistics/Items?$filter=Code eq 'X'&$select=ID,Timestamp`, 'Timestamp'],
    [`${DIVISION}/crm/Accounts?$filter=Code eq 'X'&$select=ID,Timestamp`, 'Timestamp'],
  ])('counts a field the endpoint lacks as an error: %s', async (path, field) => {
    for (let i = 0; i < 10; i++) {
      const refused = await sim.api(token, path);
      expect(refused.status).toBe(400);
      expect((await json<ExactErrorBody>(refused)).error.message.value).toBe(
        `Property '${field}' does not exist.`,
      );
    }
    expect((await sim.api(token, path)).status).toBe(403);
  });

  it('unblocks after the block time', async () => {
    for (let i = 0; i < 10; i++) await bad();
    expect((await bad()).status).toBe(403);
    await sim.control('POST', '/_sim/clock/advance', { ms: 3_600_000 });
    const fresh = await sim.token();
    expect((await sim.api(fresh, `${DIVISION}/logistics/Items?$filter=Code eq 'X'`)).status).toBe(200);
  });

  it('forgets errors of a past hour', async () => {
    for (let i = 0; i < 9; i++) await bad();
    await sim.control('POST', '/_sim/clock/advance', { ms: 3_600_000 });
    token = await sim.token();
    expect((await bad()).status).toBe(400);
    expect((await sim.api(token, `${DIVISION}/logistics/Items?$filter=Code eq 'X'`)).status).toBe(200);
  });

  it('counts 404s and does not count 429s', async () => {
    for (let i = 0; i < 10; i++)
      expect(
        (await sim.api(token, `${DIVISION}/crm/Accounts(guid'00000000-0000-4000-8000-000000000000')`)).status,
      ).toBe(404);
    expect((await sim.api(token, `${DIVISION}/crm/Accounts?$filter=Code eq '1'`)).status).toBe(403);

    await sim.control('PATCH', '/_sim/config', { minuteLimit: 1 });
    await sim.control('POST', '/_sim/clock/advance', { ms: 60_000 });
    const other = await sim.token();
    expect((await sim.api(other, `${DIVISION}/system/Divisions`)).status).toBe(200);
    for (let i = 0; i < 12; i++)
      expect((await sim.api(other, `${DIVISION}/system/Divisions`)).status).toBe(429);
    await sim.control('POST', '/_sim/clock/advance', { ms: 60_000 });
    const after = await sim.api(other, `${DIVISION}/system/Divisions`);
    expect(after.status).toBe(200);
    expect(rateHeaders(after)['x-ratelimit-minutely-remaining']).toBe('0');
  });

  it('uses configurable limits and lengths', async () => {
    await sim.control('PATCH', '/_sim/config', { errorLimit: 2, errorBlockMs: 5000 });
    await bad();
    await bad();
    expect((await bad()).status).toBe(403);
    await sim.control('POST', '/_sim/clock/advance', { ms: 5000 });
    expect((await bad()).status).toBe(400);
  });
});
