import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIVISION, json, rateHeaders, type Sim, startSim } from './helpers.ts';

let sim: Sim;
let token: string;
beforeEach(async () => {
  sim = await startSim();
  token = await sim.token();
});
afterEach(async () => {
  await sim.close();
});

async function orderBody(ref: string): Promise<string> {
  const [account] = await sim.entities<{ ID: string }>('accounts');
  const [item] = await sim.entities<{ ID: string }>('items');
  return JSON.stringify({
    OrderedBy: account?.ID,
    YourRef: ref,
    SalesOrderLines: [{ Item: item?.ID, Quantity: 1 }],
  });
}

const syncPath = `${DIVISION}/sync/Logistics/Items?$filter=Timestamp gt 1L&$select=ID`;

describe('faults', () => {
  it('answers 5xx at the configured rate, without rate headers', async () => {
    const set = await sim.control('PUT', '/_sim/faults', { serverErrorRate: 1 });
    expect(set.body).toMatchObject({ serverErrorRate: 1, only: 'all' });
    const response = await sim.api(token, syncPath);
    expect([500, 502, 503]).toContain(response.status);
    expect(rateHeaders(response)).toEqual({});
    await sim.control('PUT', '/_sim/faults', {});
    expect((await sim.api(token, syncPath)).status).toBe(200);
  });

  it('limits faults to the chosen scope', async () => {
    await sim.control('PUT', '/_sim/faults', { serverErrorRate: 1, only: 'orders' });
    expect((await sim.api(token, syncPath)).status).toBe(200);
    const order = await sim.api(token, `${DIVISION}/salesorder/SalesOrders`, {
      method: 'POST',
      body: await orderBody('F-1'),
    });
    expect(order.status).toBeGreaterThanOrEqual(500);
    expect((await sim.control<{ data: unknown[] }>('GET', '/_sim/orders')).body.data).toHaveLength(0);
  });

  it('resets the connection after applying a POST: the order exists but the client saw no answer', async () => {
    await sim.control('PUT', '/_sim/faults', { resetAfterPostRate: 1, only: 'orders' });
    const body = await orderBody('B2C-42');
    await expect(
      sim.api(token, `${DIVISION}/salesorder/SalesOrders`, { method: 'POST', body }),
    ).rejects.toThrow();
    const orders = await sim.control<{ postsByYourRef: Record<string, number> }>('GET', '/_sim/orders');
    expect(orders.body.postsByYourRef).toEqual({ 'B2C-42': 1 });
    const lookup = await sim.api(
      token,
      `${DIVISION}/salesorder/SalesOrders?$filter=YourRef eq 'B2C-42'&$select=OrderID`,
    );
    expect(lookup.status).toBe(200);
    expect((await json<{ d: { results: unknown[] } }>(lookup)).d.results).toHaveLength(1);
  });

  it('answers 429 without any headers, and does not count it', async () => {
    await sim.control('PUT', '/_sim/faults', { headerless429Rate: 1 });
    const limited = await sim.api(token, syncPath);
    expect(limited.status).toBe(429);
    expect(rateHeaders(limited)).toEqual({});
    await sim.control('PUT', '/_sim/faults', {});
    const ok = await sim.api(token, syncPath);
    expect(rateHeaders(ok)['x-ratelimit-minutely-remaining']).toBe('59');
  });

  it('adds latency', async () => {
    await sim.control('PUT', '/_sim/faults', { latencyMs: 50 });
    const started = performance.now();
    expect((await sim.api(token, syncPath)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect((await sim.control('GET', '/_sim/faults')).body).toMatchObject({ latencyMs: 50 });
  });

  it('refuses invalid fault settings', async () => {
    const response = await sim.control('PUT', '/_sim/faults', { serverErrorRate: 2, only: 'everything' });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(/serverErrorRate/);
  });
});
