import { mkdirSync } from 'node:fs';
import { ENTITY_NAMES, LIST_NAMES, ORDER_STATUSES } from '@exact-sync/core';
import {
  createTestDatabase,
  deleteRedisKeys,
  onboard,
  repoRoot,
  STACK_ADMIN_TOKEN,
  type Stack,
  startStack,
  storefrontKey,
  type TestDatabase,
  testRedisUrl,
  uniqueName,
  waitFor,
} from '@exact-sync/testkit';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The operator page in a real browser, against real api, worker and simulator processes.
const DIVISION = 100001;
const prefix = uniqueName('admin_page');
let db: TestDatabase;
let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let connectionId = '';

type Status = Record<string, unknown>;
const status = async (): Promise<Status> =>
  (await stack.call('GET', `/v1/connections/${connectionId}/status`)).body as Status;

/** A value of the status document at a dotted path, as the page writes it (`data-value`: empty for null). */
function at(document: Status, path: string): string {
  const value = path
    .split('.')
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], document);
  return value === null || value === undefined ? '' : String(value);
}

/** Every `data-figure` of the connection's section, path → `data-value`. */
async function figures(page: Page): Promise<Map<string, string>> {
  const pairs = await page.$$eval(`section[data-connection-id="${connectionId}"] [data-figure]`, (elements) =>
    elements.map((e) => [e.getAttribute('data-figure') ?? '', e.getAttribute('data-value') ?? ''] as const),
  );
  return new Map(pairs);
}

/** Console messages about a blocked resource: the page's CSP must let its own markup and scripts work. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}

beforeAll(async () => {
  db = await createTestDatabase('admin_page');
  stack = await startStack({
    databaseUrl: db.url,
    redisUrl: testRedisUrl(),
    redisPrefix: prefix,
    simEnv: { SIM_ITEMS: '60', SIM_ACCOUNTS: '12', SIM_MINUTE_LIMIT: '300', SIM_DAY_LIMIT: '100000' },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  // Browsers send the operator token as the Basic auth password.
  context = await browser.newContext({
    httpCredentials: { username: 'operator', password: STACK_ADMIN_TOKEN },
    viewport: { width: 1280, height: 900 },
  });

  connectionId = await onboard(stack, { name: 'Fietsen & Zo <B2B>', division: DIVISION });
  await waitFor('initial sync', async () => {
    const body = await status();
    const entities = (body.entities ?? {}) as Record<string, { phase: string }>;
    const lists = (body.lists ?? {}) as Record<string, { phase: string }>;
    return (
      ENTITY_NAMES.every((e) => entities[e]?.phase === 'incremental') &&
      LIST_NAMES.every((l) => lists[l]?.phase === 'incremental')
    );
  });
  const [account] = await stack.simControl.dataset(DIVISION, 'accounts');
  const [item] = await stack.simControl.dataset(DIVISION, 'items');
  const key = await storefrontKey(stack, connectionId, 'b2b');
  for (const [reference, sku] of [
    ['ADM-1', String(item?.Code)],
    ['ADM-2', String(item?.Code)],
    ['ADM-3', 'NO-SUCH-SKU'],
  ]) {
    const placed = await stack.call('POST', '/v1/orders', {
      token: key,
      body: { reference, customer: { code: String(account?.Code).trim() }, lines: [{ sku, quantity: '1' }] },
    });
    expect(placed.status).toBe(202);
  }
  await waitFor('orders settled', async () => {
    const orders = (await status()).orders as Record<string, number>;
    return orders.accepted === 0 && orders.submitting === 0 && (orders.submitted ?? 0) >= 2;
  });
  // The two orders come back as Exact's sales order headers and lines: wait for them, so the figures hold still.
  await waitFor('the orders synced back from Exact', async () => {
    const entities = (await status()).entities as Record<string, { records: number }>;
    return (entities.orderHeaders?.records ?? 0) >= 2 && (entities.orderLines?.records ?? 0) >= 2;
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await db?.drop();
  await deleteRedisKeys(`{${prefix}}`);
  await deleteRedisKeys(prefix);
});

describe('the operator page /admin', () => {
  it('shows what GET /v1/connections/:id/status says, and looks like an operator page', async () => {
    const page = await context.newPage();
    const violations = cspViolations(page);
    const res = await page.goto(`${stack.apiUrl}/admin`);
    expect(res?.status()).toBe(200);
    const shown = await figures(page);
    const api = await status();

    // Every figure an operator needs is on the page.
    const expected = [
      'name',
      'status',
      'paused',
      'division',
      ...ENTITY_NAMES.flatMap((e) =>
        ['phase', 'records', 'lastSuccessAt', 'lagSeconds'].map((f) => `entities.${e}.${f}`),
      ),
      ...ORDER_STATUSES.map((s) => `orders.${s}`),
      ...['minute', 'day'].flatMap((w) =>
        ['limit', 'syncShare', 'remaining', 'resetAt', 'used.sync', 'used.order'].map(
          (f) => `budget.${w}.${f}`,
        ),
      ),
    ];
    expect([...shown.keys()]).toEqual(expect.arrayContaining(expected));
    expect(Number(shown.get('entities.items.records'))).toBe(60);
    expect(Number(shown.get('orders.submitted'))).toBeGreaterThanOrEqual(2);
    expect(Number(shown.get('budget.day.used.sync'))).toBeGreaterThan(0);

    for (const [path, value] of shown) {
      const now = at(api, path);
      const window = /^budget\.(minute|day)\./.exec(path)?.[1];
      const sameWindow =
        window !== undefined && shown.get(`budget.${window}.resetAt`) === at(api, `budget.${window}.resetAt`);
      if (/^budget\.\w+\.used\./.test(path)) {
        // Calls keep being made between the page and the API call; a window that rolled over starts again.
        if (sameWindow) expect(Number(value), path).toBeLessThanOrEqual(Number(now));
      } else if (/^budget\.\w+\.remaining$/.test(path)) {
        if (sameWindow) expect(Number(value), path).toBeGreaterThanOrEqual(Number(now));
      } else if (/^budget\.\w+\.resetAt$/.test(path) || path.endsWith('.lastSuccessAt')) {
        expect(Date.parse(value), path).toBeLessThanOrEqual(Date.parse(now));
      } else if (path.endsWith('.lagSeconds')) {
        expect(Number(value), path).toBeGreaterThanOrEqual(0);
      } else {
        expect(value, path).toBe(now);
      }
    }

    // Names are escaped, links lead into Bull Board, and the page refreshes itself.
    expect(await page.textContent(`section[data-connection-id="${connectionId}"] h2`)).toBe(
      'Fietsen & Zo <B2B>',
    );
    expect(await page.getAttribute('meta[http-equiv="refresh"]', 'content')).toBe('5');
    expect(await page.locator('a[href="/admin/queues/queue/orders"]').count()).toBe(1);

    mkdirSync(`${repoRoot}test-results`, { recursive: true });
    await page.screenshot({ path: `${repoRoot}test-results/admin.png`, fullPage: true });
    expect(violations).toEqual([]);
  });

  it('leads into Bull Board, which renders both queues under the same credentials', async () => {
    const page = await context.newPage();
    const violations = cspViolations(page);
    await page.goto(`${stack.apiUrl}/admin`);
    await page.click('nav a[href="/admin/queues"]');
    await page.getByText('orders', { exact: true }).first().waitFor();
    await page.getByText('sync', { exact: true }).first().waitFor();
    expect(violations).toEqual([]);
  });

  it('has public API docs that render under the same security headers', async () => {
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    const violations = cspViolations(page);
    await page.goto(`${stack.apiUrl}/docs`);
    await page.locator('.opblock-summary-path', { hasText: '/v1/orders' }).first().waitFor();
    expect(violations).toEqual([]);
    await anonymous.close();
  });
});
