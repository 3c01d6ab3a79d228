import { afterEach, describe, expect, it } from 'vitest';
import { DIVISION, OTHER_DIVISION, rateHeaders, type Sim, startSim } from './helpers.ts';

let sim: Sim;
afterEach(async () => {
  await sim.close();
});

const DIVISIONS_PATH = `${DIVISION}/system/Divisions`;

describe('rate-limit headers', () => {
  it('sends all six headers on a counted success, resets at the next whole minute and at 00:00 UTC', async () => {
    sim = await startSim();
    const token = await sim.token();
    const response = await sim.api(token, DIVISIONS_PATH);
    expect(response.status).toBe(200);
    const headers = rateHeaders(response);
    expect(Object.keys(headers).sort()).toEqual([
      'x-ratelimit-limit',
      'x-ratelimit-minutely-limit',
      'x-ratelimit-minutely-remaining',
      'x-ratelimit-minutely-reset',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ]);
    expect(headers['x-ratelimit-limit']).toBe('5000');
    expect(headers['x-ratelimit-remaining']).toBe('4999');
    expect(headers['x-ratelimit-minutely-limit']).toBe('60');
    expect(headers['x-ratelimit-minutely-remaining']).toBe('59');
    const { body: clock } = await sim.control<{ now: number }>('GET', '/_sim/clock');
    const minuteReset = Number(headers['x-ratelimit-minutely-reset']);
    const dayReset = Number(headers['x-ratelimit-reset']);
    expect(minuteReset % 60_000).toBe(0);
    expect(minuteReset).toBeGreaterThan(clock.now - 1000);
    expect(minuteReset - clock.now).toBeLessThanOrEqual(60_000);
    expect(new Date(dayReset).toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect(dayReset - clock.now).toBeLessThanOrEqual(86_400_000);
  });

  it('does not count current/Me and gives it no rate headers', async () => {
    sim = await startSim();
    const token = await sim.token();
    const me = await sim.api(token, 'current/Me');
    expect(me.status).toBe(200);
    expect(rateHeaders(me)).toEqual({});
    const next = await sim.api(token, DIVISIONS_PATH);
    expect(rateHeaders(next)['x-ratelimit-minutely-remaining']).toBe('59');
  });

  it('counts per client and division', async () => {
    sim = await startSim({
      clients: [
        { clientId: 'a', clientSecret: 'a', webhookSecret: 'a' },
        { clientId: 'b', clientSecret: 'b', webhookSecret: 'b' },
      ],
    });
    const a = await sim.token({ clientId: 'a' });
    const b = await sim.token({ clientId: 'b' });
    await sim.api(a, DIVISIONS_PATH);
    await sim.api(a, DIVISIONS_PATH);
    expect(rateHeaders(await sim.api(a, `${OTHER_DIVISION}/system/Divisions`))['x-ratelimit-remaining']).toBe(
      '4999',
    );
    expect(rateHeaders(await sim.api(b, DIVISIONS_PATH))['x-ratelimit-remaining']).toBe('4999');
    expect(rateHeaders(await sim.api(a, DIVISIONS_PATH))['x-ratelimit-remaining']).toBe('4997');
  });
});

describe('429 when a window is spent', () => {
  it('answers the minutely 429 with only the minutely headers and an empty body, not counting it', async () => {
    sim = await startSim({ minuteLimit: 3 });
    const token = await sim.token();
    for (let i = 0; i < 3; i++) expect((await sim.api(token, DIVISIONS_PATH)).status).toBe(200);
    const limited = await sim.api(token, DIVISIONS_PATH);
    expect(limited.status).toBe(429);
    expect(await limited.text()).toBe('');
    const headers = rateHeaders(limited);
    expect(Object.keys(headers).sort()).toEqual([
      'x-ratelimit-minutely-limit',
      'x-ratelimit-minutely-remaining',
      'x-ratelimit-minutely-reset',
    ]);
    expect(headers['x-ratelimit-minutely-remaining']).toBe('0');

    await sim.control('POST', '/_sim/clock/advance', { ms: 60_000 });
    const after = await sim.api(token, DIVISIONS_PATH);
    expect(after.status).toBe(200);
    // The 429 was not counted: 3 of 5,000 used before, this is the 4th.
    expect(rateHeaders(after)['x-ratelimit-remaining']).toBe('4996');
    const stats = await sim.control<{ rateLimited: number }>('GET', `/_sim/stats?division=${DIVISION}`);
    expect(stats.body.rateLimited).toBe(1);
  });

  it('answers the daily 429 with only the daily headers until 00:00 UTC', async () => {
    sim = await startSim({ dayLimit: 2 });
    const token = await sim.token();
    await sim.api(token, DIVISIONS_PATH);
    await sim.api(token, DIVISIONS_PATH);
    const limited = await sim.api(token, DIVISIONS_PATH);
    expect(limited.status).toBe(429);
    const headers = rateHeaders(limited);
    expect(Object.keys(headers).sort()).toEqual([
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ]);
    const { body: clock } = await sim.control<{ now: number }>('GET', '/_sim/clock');
    await sim.control('POST', '/_sim/clock/advance', {
      ms: Number(headers['x-ratelimit-reset']) - clock.now,
    });
    const fresh = await sim.token();
    expect((await sim.api(fresh, DIVISIONS_PATH)).status).toBe(200);
  });

  it('uses configured window lengths, so a "minute" can last a second', async () => {
    sim = await startSim({ minuteMs: 1000, minuteLimit: 1 });
    const token = await sim.token();
    const first = await sim.api(token, DIVISIONS_PATH);
    const reset = Number(rateHeaders(first)['x-ratelimit-minutely-reset']);
    expect(reset % 1000).toBe(0);
    expect((await sim.api(token, DIVISIONS_PATH)).status).toBe(429);
    await sim.control('POST', '/_sim/clock/advance', { ms: 1000 });
    expect((await sim.api(token, DIVISIONS_PATH)).status).toBe(200);
  });

  it('applies limit changes from the next window', async () => {
    sim = await startSim({ minuteLimit: 5 });
    const token = await sim.token();
    await sim.api(token, DIVISIONS_PATH);
    await sim.control('PATCH', '/_sim/config', { minuteLimit: 2 });
    expect(rateHeaders(await sim.api(token, DIVISIONS_PATH))['x-ratelimit-minutely-limit']).toBe('5');
    await sim.control('POST', '/_sim/clock/advance', { ms: 60_000 });
    expect(rateHeaders(await sim.api(token, DIVISIONS_PATH))['x-ratelimit-minutely-limit']).toBe('2');
  });
});

describe('order POSTs and the daily limit', () => {
  async function postOrder(token: string, ref: string): Promise<Response> {
    const [account] = await sim.entities<{ ID: string }>('accounts');
    const [item] = await sim.entities<{ ID: string }>('items');
    return sim.api(token, `${DIVISION}/salesorder/SalesOrders`, {
      method: 'POST',
      body: JSON.stringify({
        OrderedBy: account?.ID,
        YourRef: ref,
        SalesOrderLines: [{ Item: item?.ID, Quantity: 1 }],
      }),
    });
  }

  it('counts order POSTs toward the daily limit by default', async () => {
    sim = await startSim({ dayLimit: 2 });
    const token = await sim.token();
    expect((await postOrder(token, 'R-1')).status).toBe(201);
    expect((await postOrder(token, 'R-2')).status).toBe(201);
    expect((await postOrder(token, 'R-3')).status).toBe(429);
  });

  it('lets order POSTs through a spent day when ordersCountDaily is false (still counting the minute)', async () => {
    sim = await startSim({ dayLimit: 1, minuteLimit: 4, ordersCountDaily: false });
    const token = await sim.token();
    expect((await sim.api(token, DIVISIONS_PATH)).status).toBe(200);
    expect((await sim.api(token, DIVISIONS_PATH)).status).toBe(429);
    const order = await postOrder(token, 'R-1');
    expect(order.status).toBe(201);
    const headers = rateHeaders(order);
    expect(headers['x-ratelimit-remaining']).toBe('0');
    expect(headers['x-ratelimit-minutely-remaining']).toBe('2');
    expect((await postOrder(token, 'R-2')).status).toBe(201);
    expect((await postOrder(token, 'R-3')).status).toBe(201);
    expect((await postOrder(token, 'R-4')).status).toBe(429);
    const lookup = await sim.api(token, `${DIVISION}/salesorder/SalesOrders?$filter=YourRef eq 'R-1'`);
    expect(lookup.status).toBe(429);
  });
});

describe('day windows in the stats', () => {
  it('reports what each day window counted, also after the day is over', async () => {
    sim = await startSim();
    const token = await sim.token();
    for (let i = 0; i < 3; i++) await sim.api(token, DIVISIONS_PATH);
    await sim.control('POST', '/_sim/clock/advance', { ms: 86_400_000 });
    await sim.api(await sim.token(), DIVISIONS_PATH);
    const { body } = await sim.control<{ dayWindows: { division: number; used: number; end: number }[] }>(
      'GET',
      `/_sim/stats?division=${DIVISION}`,
    );
    expect(body.dayWindows.map((w) => w.used)).toEqual([3, 1]);
    const [first, second] = body.dayWindows;
    expect((second?.end ?? 0) - (first?.end ?? 0)).toBe(86_400_000);
  });
});
