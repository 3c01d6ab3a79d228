import { describe, expect, it } from 'vitest';
import type { ExactCallEvent } from '../src/exact-call.ts';
import { createExactClient } from '../src/exact-client.ts';
import type { Lane } from '../src/rate-governor.ts';
import type { TransportResponse } from '../src/transport.ts';
import { countingTokens, json, memoryGovernor, scriptedTransport } from './fake-exact.ts';

const clock = { now: () => Date.now() };

function observed(answers: (TransportResponse | Error)[]) {
  const { transport } = scriptedTransport(answers);
  const gov = memoryGovernor(clock.now);
  const responses: Omit<ExactCallEvent, 'durationMs'>[] = [];
  const blocked: { endpoint: string; lane: Lane }[] = [];
  const client = createExactClient(
    {
      governor: gov.governor,
      tokens: countingTokens().tokens,
      clock,
      transport,
      observer: {
        onResponse: ({ durationMs, ...event }) => {
          expect(durationMs).toBeGreaterThanOrEqual(0);
          responses.push(event);
        },
        onGuardBlocked: (endpoint, lane) => blocked.push({ endpoint, lane }),
      },
    },
    { baseUrl: 'https://start.exactonline.nl', division: 100001 },
  );
  return { client, responses, blocked, gov };
}

describe('ExactClient observer', () => {
  it('sees every response with its endpoint, lane and status, including the 429 the order lane waited out', async () => {
    const { client, responses } = observed([
      { status: 429, headers: { 'x-ratelimit-minutely-reset': String(clock.now() + 20) }, body: '' },
      json(200, { d: { results: [] } }),
      json(200, { d: { results: [{ ID: 'a', Timestamp: 5 }] } }),
    ]);
    await client.findSalesOrdersByYourRef('B2C-1', undefined, 'order', { maxWaitMs: 1000 });
    await client.syncPage('Logistics/Items', { select: ['ID'] }, 'sync');
    expect(responses).toEqual([
      { method: 'GET', endpoint: 'salesorder/salesorders', lane: 'order', status: 429 },
      { method: 'GET', endpoint: 'salesorder/salesorders', lane: 'order', status: 200 },
      { method: 'GET', endpoint: 'sync/logistics/items', lane: 'sync', status: 200 },
    ]);
  });

  it('reports a call that got no answer as status `network`', async () => {
    const { client, responses } = observed([new Error('socket hang up')]);
    await expect(
      client.createSalesOrder({ OrderedBy: 'x', SalesOrderLines: [{ Item: 'y', Quantity: 1 }] }),
    ).rejects.toThrow();
    expect(responses).toEqual([
      { method: 'POST', endpoint: 'salesorder/salesorders', lane: 'order', status: 'network' },
    ]);
  });

  it('reports a call the error guard refused, without a response', async () => {
    const { client, responses, blocked, gov } = observed([]);
    gov.guarded.set('salesorder/salesorders', clock.now() + 5000);
    await expect(client.findSalesOrdersByYourRef('B2C-1')).rejects.toThrow();
    expect(blocked).toEqual([{ endpoint: 'salesorder/salesorders', lane: 'order' }]);
    expect(responses).toEqual([]);
  });
});
