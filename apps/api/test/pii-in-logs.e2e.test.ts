import { randomInt } from 'node:crypto';
import { type DatabaseHandle, openDatabase } from '@exact-sync/db';
import {
  createTestDatabase,
  deleteRedisKeys,
  onboard,
  type Stack,
  startStack,
  storefrontKey,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

// Orders whose every personal field carries a mark, through api, worker and simulator at the most talkative log
// level, on the paths where errors quote data: a database error in the api and in the worker (check constraints
// added here, standing for any constraint or database fault), Exact refusing an order (400) and failing (5xx), and
// input refused at the door. Then neither process's log may hold a mark, nor the e-mail of a synced customer.

const DIVISION = 100001;
// Letters that never occur in a UUID or a hex digest, so the mark cannot turn up in a log by chance.
const TOKEN = Array.from({ length: 10 }, () => 'ghjkmnpqrstvwxyz'[randomInt(16)]).join('');
const MARK = `PII${TOKEN}`;

interface OrderView {
  id: string;
  status: string;
  statusReason: string | null;
  rejection: { code: string } | null;
}

let db: TestDatabase;
let handle: DatabaseHandle;
let stack: Stack;
const prefix = uniqueName('pii_logs');

beforeAll(async () => {
  db = await createTestDatabase('pii_logs');
  handle = openDatabase(db.url, { max: 1 });
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: testRedisUrl(),
    redisPrefix: prefix,
    simEnv: { SIM_ITEMS: '40', SIM_ACCOUNTS: '20' },
    // No scheduled deletion sync during the test: the item deleted in the simulator stays in the synced data, so
    // the order is posted and Exact itself refuses it.
    env: { LOG_LEVEL: 'trace', SYNC_MIN_INTERVAL_MS: '600000' },
  });
});

afterAll(async () => {
  await stack?.stop();
  await handle?.close();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

/** A consumer with a mark in every personal field. */
const consumer = (n: number) => ({
  name: `${MARK} Name ${n}`,
  email: `${MARK.toLowerCase()}.${n}@example.com`,
  address: {
    line1: `${MARK} Street ${n}`,
    line2: `${MARK} Floor`,
    postcode: MARK,
    city: `${MARK} City`,
    country: 'NL',
  },
});

const logs = () => [stack.api.output(), ...stack.workers.map((w) => w.output())].join('\n');

async function list<T>(path: string, token: string): Promise<T[]> {
  await waitFor(
    path,
    async () => ((await stack.call('GET', path, { token })).body as { data: T[] }).data.length > 0,
  );
  return ((await stack.call('GET', path, { token })).body as { data: T[] }).data;
}

it('keeps personal data out of the logs of api and worker, errors included', async () => {
  const id = await onboard(stack, { division: DIVISION });
  const b2b = await storefrontKey(stack, id, 'b2b');
  const b2c = await storefrontKey(stack, id, 'b2c');
  const items = (
    await list<{ exactId: string; sku: string; isSalesItem: boolean }>('/v1/items?limit=50', b2b)
  ).filter((item) => item.isSalesItem);
  const accounts = await list<{ code: string; blocked: boolean | null }>('/v1/accounts?limit=50', b2b);
  const account = accounts.find((a) => !a.blocked);
  const [item, gone] = items;
  if (!item || !gone || !account) throw new Error('the simulator has too few items or accounts');
  const channels = { b2c: { defaultAccountCode: account.code } };
  expect((await stack.call('PATCH', `/v1/connections/${id}`, { body: { channels } })).status).toBe(200);

  await handle.sql`alter table orders add constraint pii_probe_api check (note not like '%API-DB-FAIL%')`;
  await handle.sql`alter table orders add constraint pii_probe_worker
    check (status <> 'submitting' or note not like '%WORKER-DB-FAIL%')`;

  const place = async (token: string, body: Record<string, unknown>) =>
    stack.call('POST', '/v1/orders', { token, body });
  const order = (reference: string, n: number, sku: string, note: string) => ({
    reference,
    customer: consumer(n),
    lines: [{ sku, quantity: '1' }],
    note: `${MARK} ${note}`,
  });
  const settled = (placed: { body: unknown }, token: string, status: string) =>
    waitFor(`order ${status}`, async () => {
      const path = `/v1/orders/${(placed.body as OrderView).id}`;
      return ((await stack.call('GET', path, { token })).body as OrderView).status === status;
    });

  // Submitted: the consumer's data goes to Exact in the order's description.
  const submitted = await place(b2c, order('PII-1', 1, item.sku, 'ring twice'));
  expect(submitted.status).toBe(202);
  await settled(submitted, b2c, 'submitted');

  // A database error in the api: a 500, logged by code and constraint.
  expect((await place(b2c, order('PII-2', 2, item.sku, 'API-DB-FAIL'))).status).toBe(500);

  // A database error in the worker, retried: every failed attempt is logged.
  expect((await place(b2c, order('PII-3', 3, item.sku, 'WORKER-DB-FAIL'))).status).toBe(202);
  await waitFor('the worker logs the failed update', async () => logs().includes('"msg":"job failed"'));

  // Exact refuses the order (400): the item is gone from Exact but still in the synced data.
  await stack.simControl.mutate(DIVISION, { entity: 'items', deleteIds: [gone.exactId] });
  const refused = await place(b2c, order('PII-4', 4, gone.sku, 'exact refuses'));
  await settled(refused, b2c, 'rejected');
  const rejected = (await stack.call('GET', `/v1/orders/${(refused.body as OrderView).id}`, { token: b2c }))
    .body as OrderView;
  expect(rejected.rejection?.code).toBe('exact_rejected');
  // Exact's message stays on the order, where the storefront reads it.
  expect(rejected.statusReason).toContain('does not exist');

  // Exact fails (5xx) until the faults are lifted: the failures are logged, the order goes through after.
  await stack.simControl.faults({ serverErrorRate: 1, only: 'orders' });
  const retried = await place(b2b, {
    reference: 'PII-5',
    customer: { code: account.code },
    lines: [{ sku: item.sku, quantity: '2' }],
    note: `${MARK} deliver to the back door`,
  });
  await waitFor('Exact answers 5xx', async () =>
    (await stack.simControl.stats(DIVISION)).calls.some((c) => c.method === 'POST' && c.status >= 500),
  );
  await stack.simControl.faults({ serverErrorRate: 0 });
  await settled(retried, b2b, 'submitted');

  // Refused at the door, with the mark in the body and in a query string.
  const nul = { ...order('PII-6', 6, item.sku, 'nul'), note: `${MARK}\u0000` };
  expect((await place(b2c, nul)).status).toBe(400);
  expect((await stack.call('GET', `/v1/accounts?code=${MARK}`, { token: b2b })).status).toBe(200);

  const output = logs();
  expect(output.length).toBeGreaterThan(10_000);
  // The errors were logged, by what identifies them.
  expect(output).toContain('"constraint":"pii_probe_api"');
  expect(output).toContain('"constraint":"pii_probe_worker"');
  expect(output).toContain('"code":"23514"');
  expect(output).toMatch(/"type":"ExactServerError","status":5\d\d,"endpoint":"salesorder\/salesorders"/);
  expect(output).toContain('"code":"exact_rejected"');
  // And nothing personal was: no mark, in any case, and no synced customer's e-mail.
  expect(output.toLowerCase()).not.toContain(TOKEN);
  const emails = (await stack.simControl.dataset(DIVISION, 'accounts'))
    .map((a) => a.Email)
    .filter((e): e is string => typeof e === 'string');
  expect(emails.length).toBeGreaterThan(0);
  for (const email of emails) expect(output.includes(email), email).toBe(false);
});
