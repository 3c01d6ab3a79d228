import { describe, expect, it } from 'vitest';
import {
  BudgetExhaustedError,
  EndpointGuardedError,
  ExactAuthError,
  ExactNetworkError,
  ExactValidationError,
  RetryLaterError,
} from '../src/errors.ts';
import { createExactClient } from '../src/exact-client.ts';
import type { TokenProvider } from '../src/token-provider.ts';
import { TokenRefreshTooEarlyError } from '../src/tokens/token-errors.ts';
import type { TransportResponse } from '../src/transport.ts';
import { countingTokens, json, memoryGovernor, scriptedTransport, TOKEN } from './fake-exact.ts';

const BASE = 'https://start.exactonline.nl';
const DIVISION = 100001;
const clock = { now: () => Date.now() };

function setup(answers: (TransportResponse | Error)[]) {
  const { transport, requests } = scriptedTransport(answers);
  const gov = memoryGovernor(clock.now);
  const toks = countingTokens();
  const client = createExactClient(
    { governor: gov.governor, tokens: toks.tokens, clock, transport },
    { baseUrl: BASE, division: DIVISION },
  );
  return { client, requests, gov, toks };
}

describe('ExactClient requests', () => {
  it('starts a sync run at Timestamp 1 with $select, then follows __next as given', async () => {
    const next = `${BASE}/api/v1/${DIVISION}/sync/Logistics/Items?$skiptoken=guid'abc'`;
    const { client, requests, gov } = setup([
      json(
        200,
        { d: { results: [{ ID: 'a', Timestamp: 5 }], __next: next } },
        { 'x-ratelimit-minutely-remaining': '59' },
      ),
      json(200, { d: { results: [{ ID: 'b', Timestamp: 9 }] } }),
    ]);
    const first = await client.syncPage('Logistics/Items', { select: ['ID', 'Code', 'Timestamp'] }, 'sync');
    expect(first.records).toEqual([{ ID: 'a', Timestamp: 5 }]);
    expect(first.next).toBe(next);
    const second = await client.syncPage('Logistics/Items', { next: first.next ?? '', select: [] }, 'sync');
    expect(second.next).toBeNull();

    expect(requests[0]?.url).toBe(
      `${BASE}/api/v1/${DIVISION}/sync/Logistics/Items?$filter=Timestamp%20gt%201L&$select=ID,Code,Timestamp`,
    );
    expect(requests[0]?.headers).toMatchObject({
      Accept: 'application/json',
      Authorization: `Bearer ${TOKEN}`,
    });
    expect(requests[1]?.url).toBe(next);
    expect(gov.recorded[0]).toMatchObject({
      lane: 'sync',
      response: { status: 200, headers: { minuteRemaining: 59 }, endpoint: 'sync/logistics/items' },
    });
  });

  it('never sends the token to another host named in __next', async () => {
    const { client, requests } = setup([json(200, { d: { results: [] } })]);
    await client.syncPage('CRM/Accounts', {
      next: 'https://evil.example/api/v1/1/sync/CRM/Accounts?$skiptoken=1',
      select: [],
    });
    expect(requests[0]?.url).toBe(`${BASE}/api/v1/1/sync/CRM/Accounts?$skiptoken=1`);
  });

  it('posts a sales order as JSON with return=representation and reads its ids', async () => {
    const { client, requests } = setup([
      json(201, { d: { OrderID: '0f6c1c1e-8a43-4a1d-9d3f-0c0c0c0c0c0c', OrderNumber: 42, Status: 12 } }),
    ]);
    const order = await client.createSalesOrder({
      OrderedBy: '5d9c1c1e-8a43-4a1d-9d3f-0c0c0c0c0c0c',
      YourRef: 'B2C-100231',
      SalesOrderLines: [{ Item: '6e9c1c1e-8a43-4a1d-9d3f-0c0c0c0c0c0c', Quantity: 2, NetPrice: 10 }],
    });
    expect(order).toEqual({ orderId: '0f6c1c1e-8a43-4a1d-9d3f-0c0c0c0c0c0c', orderNumber: 42, status: 12 });
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: `${BASE}/api/v1/${DIVISION}/salesorder/SalesOrders`,
      headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
    });
    expect(JSON.parse(requests[0]?.body ?? '{}')).toMatchObject({ YourRef: 'B2C-100231' });
  });

  it('finds orders by YourRef and looks accounts up by their padded code', async () => {
    const { client, requests } = setup([
      json(200, { d: { results: [{ OrderID: 'o1', OrderNumber: 7 }] } }),
      json(200, { d: { results: [{ ID: 'acc', Code: '              1001' }] } }),
      json(200, { d: { results: [] } }),
    ]);
    expect(await client.findSalesOrdersByYourRef("B2C-1'x")).toEqual([{ orderId: 'o1', orderNumber: 7 }]);
    expect(requests[0]?.url).toContain("$filter=YourRef%20eq%20'B2C-1''x'&$select=OrderID,OrderNumber");
    expect(await client.accountByCode('1001')).toMatchObject({ ID: 'acc', Code: '1001' });
    expect(requests[1]?.url).toContain(`Code%20eq%20'${'%20'.repeat(14)}1001'`);
    expect(await client.itemByCode('NOPE')).toBeNull();
  });
});

describe('ExactClient failures', () => {
  it('refreshes the token once after a 401 and retries', async () => {
    const { client, requests, toks } = setup([json(401, {}), json(200, { d: { results: [] } })]);
    await client.divisionInfo(1);
    expect(toks.refreshed).toEqual([TOKEN]);
    expect(requests[1]?.headers.Authorization).toBe('Bearer secret-access-token-2');
  });

  it('gives up with ExactAuthError after a second 401, without the token in the message', async () => {
    const { client, toks, requests } = setup([json(401, {}), json(401, {})]);
    const err = await client.divisionInfo(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExactAuthError);
    expect(String((err as Error).message)).not.toContain('secret-access-token');
    expect(toks.refreshed).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });

  it('turns a 429 on the sync lane into BudgetExhaustedError until the reset from the headers', async () => {
    const reset = clock.now() + 30_000;
    const { client } = setup([
      {
        status: 429,
        headers: { 'x-ratelimit-minutely-reset': String(reset), 'x-ratelimit-minutely-remaining': '0' },
        body: '',
      },
    ]);
    const err = await client.syncPage('Logistics/Items', { select: ['ID'] }, 'sync').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExhaustedError);
    expect(err).toMatchObject({ until: reset, reason: 'minute' });
  });

  it('lets the order lane sleep through a short 429 and then succeed', async () => {
    const { client, requests } = setup([
      { status: 429, headers: { 'x-ratelimit-minutely-reset': String(clock.now() + 20) }, body: '' },
      json(200, { d: { results: [] } }),
    ]);
    expect(await client.findSalesOrdersByYourRef('B2C-1', undefined, 'order', { maxWaitMs: 1000 })).toEqual(
      [],
    );
    expect(requests).toHaveLength(2);
  });

  it('maps a 400 to ExactValidationError with Exact’s message', async () => {
    const { client } = setup([
      json(400, { error: { code: '', message: { lang: '', value: 'Item: Mandatory' } } }),
    ]);
    const err = await client
      .createSalesOrder({ OrderedBy: 'x', SalesOrderLines: [{ Item: 'y', Quantity: 1 }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExactValidationError);
    expect((err as Error).message).toBe('Item: Mandatory');
  });

  it('reports a reset connection as a network error', async () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    const { client } = setup([reset]);
    const err = await client
      .createSalesOrder({ OrderedBy: 'x', SalesOrderLines: [{ Item: 'y', Quantity: 1 }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExactNetworkError);
  });

  it('does not call an endpoint the error guard holds', async () => {
    const { client, requests, gov } = setup([]);
    const until = clock.now() + 5000;
    gov.guarded.set('salesorder/salesorders', until);
    const err = await client.findSalesOrdersByYourRef('B2C-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EndpointGuardedError);
    expect(err).toMatchObject({ endpoint: 'salesorder/salesorders', until });
    expect(requests).toHaveLength(0);
  });
});

describe('ExactClient after a 401', () => {
  /** A client whose token provider is `tokens`, over a scripted transport. */
  function over(tokens: TokenProvider, answers: TransportResponse[]) {
    const { transport, requests } = scriptedTransport(answers);
    const client = createExactClient(
      { governor: memoryGovernor(clock.now).governor, tokens, clock, transport },
      { baseUrl: BASE, division: DIVISION },
    );
    return { client, requests };
  }

  it('never sends the refused token again, even when the provider hands it back', async () => {
    const tokens: TokenProvider = {
      accessToken: async () => TOKEN,
      refreshAfterUnauthorized: async (rejected) => rejected,
    };
    const { client, requests } = over(tokens, [json(401, {})]);
    await expect(client.divisionInfo(1)).rejects.toBeInstanceOf(ExactAuthError);
    expect(requests).toHaveLength(1);
  });

  it('ends the call when the token cannot be refreshed yet, so the lane waits instead of calling', async () => {
    const until = clock.now() + 20_000;
    const tokens: TokenProvider = {
      accessToken: async () => TOKEN,
      refreshAfterUnauthorized: async () => {
        throw new TokenRefreshTooEarlyError('c1', until);
      },
    };
    const { client, requests } = over(tokens, [json(401, {})]);
    const err = await client.divisionInfo(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect(err).toMatchObject({ until });
    expect(requests).toHaveLength(1);
  });

  it('retries with the refreshed token after sleeping for a grant, and stops at the next 401', async () => {
    let asked = 0;
    const tokens: TokenProvider = {
      accessToken: async () => `stored-${++asked}`,
      refreshAfterUnauthorized: async () => 'fresh',
    };
    const { client, requests } = over(tokens, [
      json(401, {}),
      { status: 429, headers: { 'x-ratelimit-minutely-reset': String(clock.now() + 20) }, body: '' },
      json(401, {}),
    ]);
    const err = await client
      .findSalesOrdersByYourRef('B2C-1', undefined, 'order', { maxWaitMs: 1000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExactAuthError);
    expect(requests.map((r) => r.headers.Authorization)).toEqual([
      'Bearer stored-1',
      'Bearer fresh',
      'Bearer fresh',
    ]);
  });

  it('asks for the token again after sleeping for a grant', async () => {
    let asked = 0;
    const tokens: TokenProvider = {
      accessToken: async () => `stored-${++asked}`,
      refreshAfterUnauthorized: async () => 'fresh',
    };
    const { client, requests } = over(tokens, [
      { status: 429, headers: { 'x-ratelimit-minutely-reset': String(clock.now() + 20) }, body: '' },
      json(200, { d: { results: [] } }),
    ]);
    await client.findSalesOrdersByYourRef('B2C-1', undefined, 'order', { maxWaitMs: 1000 });
    expect(requests.map((r) => r.headers.Authorization)).toEqual(['Bearer stored-1', 'Bearer stored-2']);
  });
});
