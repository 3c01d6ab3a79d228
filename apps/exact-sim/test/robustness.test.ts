import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIVISION, type Sim, startSim } from './helpers.ts';

let sim: Sim;
let token: string;
beforeAll(async () => {
  sim = await startSim({ minuteLimit: 100_000, dayLimit: 1_000_000, errorLimit: 1_000_000 });
  token = await sim.token();
});
afterAll(async () => {
  await sim.close();
});

const endpoints = [
  'sync/Logistics/Items',
  'sync/Deleted',
  'logistics/Items',
  'crm/Accounts',
  'salesorder/SalesOrders',
  'webhooks/WebhookSubscriptions',
  'system/Divisions',
];
const options = ['$filter', '$select', '$skiptoken', '$top', '$orderby'];

describe('arbitrary input', () => {
  it('never answers 5xx to random queries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        fc.array(fc.tuple(fc.constantFrom(...options), fc.string({ maxLength: 40 })), { maxLength: 3 }),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        async (endpoint, params, key) => {
          const query = new URLSearchParams(params).toString();
          const keyPart = key === undefined ? '' : `(${encodeURIComponent(key)})`;
          const response = await sim.api(token, `${DIVISION}/${endpoint}${keyPart}?${query}`);
          await response.arrayBuffer();
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never answers 5xx to random bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('salesorder/SalesOrders', 'webhooks/WebhookSubscriptions'),
        fc.oneof(fc.json(), fc.string({ maxLength: 50 })),
        async (endpoint, body) => {
          const response = await sim.api(token, `${DIVISION}/${endpoint}`, { method: 'POST', body });
          await response.arrayBuffer();
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 100 },
    );
    const control = await fetch(`${sim.url}/_sim/divisions/${DIVISION}/mutate`, {
      method: 'POST',
      body: '{"entity":"items","records":[null]}',
    });
    expect(control.status).toBe(400);
  });
});
