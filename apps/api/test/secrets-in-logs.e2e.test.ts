import { connections, openDatabase } from '@exact-sync/db';
import { createTokenCipher } from '@exact-sync/exact';
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
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';

// A whole run at the most talkative log level: onboarding, syncing, storefront reads, orders, webhooks, a refused
// credential. Then every secret the run used is searched for in everything api and worker printed.
let db: TestDatabase;
let stack: Stack;
const prefix = uniqueName('secrets');

beforeAll(async () => {
  db = await createTestDatabase('secrets');
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: testRedisUrl(),
    redisPrefix: prefix,
    simEnv: {
      SIM_ITEMS: '200',
      SIM_ACCOUNTS: '30',
    },
    env: { LOG_LEVEL: 'trace' },
  });
});

afterAll(async () => {
  await stack?.stop();
  await deleteRedisKeys(`{${prefix}}`);
  await db?.drop();
});

it('never logs a token, key or secret', async () => {
  const id = await onboard(stack, { division: 100001 });
  const key = await storefrontKey(stack, id, 'b2b');
  const handle = openDatabase(db.url, { max: 1 });
  try {
    await waitFor('synced items', async () => {
      const res = await stack.call('GET', '/v1/items?limit=1', { token: key });
      return (res.body as { data: unknown[] }).data.length === 1;
    });
    const items = (await stack.call('GET', '/v1/items?limit=1', { token: key })).body as {
      data: { sku: string }[];
    };
    await waitFor('synced accounts', async () => {
      const res = await stack.call('GET', '/v1/accounts?limit=1', { token: key });
      return (res.body as { data: unknown[] }).data.length === 1;
    });
    const accounts = (await stack.call('GET', '/v1/accounts?limit=1', { token: key })).body as {
      data: { code: string }[];
    };
    const order = await stack.call('POST', '/v1/orders', {
      token: key,
      body: {
        reference: 'SECRET-1',
        customer: { code: accounts.data[0]?.code },
        lines: [{ sku: items.data[0]?.sku, quantity: '1' }],
      },
    });
    expect(order.status).toBe(202);
    await waitFor('the order submitted', async () => {
      const res = await stack.call('GET', `/v1/orders/${(order.body as { id: string }).id}`, { token: key });
      return (res.body as { status: string }).status === 'submitted';
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${stack.workers[0]?.output().slice(-4000)}`);
    });
    await stack.simControl.mutate(100001, { entity: 'items', update: 3 });
    await stack.call('POST', `/v1/connections/${id}/sync`, { body: {} });
    await stack.call('GET', '/v1/orders', { token: 'wrong-token-should-not-matter' });
    // The scraper's token, on the route it opens and on one it does not.
    const metricsToken = stack.env.METRICS_TOKEN ?? '';
    expect((await stack.call('GET', '/metrics', { token: metricsToken })).status).toBe(200);
    expect((await stack.call('GET', '/v1/connections', { token: metricsToken })).status).toBe(401);

    const cipher = createTokenCipher(stack.env.TOKEN_ENCRYPTION_KEY ?? '');
    const [row] = await handle.db.select().from(connections).where(eq(connections.id, id));
    const secrets: Record<string, string> = {
      ADMIN_TOKEN: stack.env.ADMIN_TOKEN ?? '',
      METRICS_TOKEN: metricsToken,
      TOKEN_ENCRYPTION_KEY: stack.env.TOKEN_ENCRYPTION_KEY ?? '',
      EXACT_CLIENT_SECRET: stack.env.EXACT_CLIENT_SECRET ?? '',
      EXACT_WEBHOOK_SECRET: stack.env.EXACT_WEBHOOK_SECRET ?? '',
      'storefront key': key,
      'access token': cipher.decrypt(row?.accessTokenEnc ?? '', `connection:${id}:access_token`),
      'refresh token': cipher.decrypt(row?.refreshTokenEnc ?? '', `connection:${id}:refresh_token`),
    };
    const logs = [stack.api.output(), ...stack.workers.map((w) => w.output())].join('\n');
    expect(logs.length).toBeGreaterThan(10_000);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(8);
      expect(logs.includes(secret), `${name} appears in the logs`).toBe(false);
    }
  } finally {
    await handle.close();
  }
});
