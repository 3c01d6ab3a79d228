import { describe, expect, it } from 'vitest';
import { adminPage } from '../src/admin/admin-page.ts';
import type { StatusView } from '../src/connections/connection.schemas.ts';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const entity = {
  enabled: true,
  phase: 'incremental' as const,
  cursor: '42',
  records: 1234,
  lastSuccessAt: '2026-03-01T11:58:00.000Z',
  lagSeconds: 120,
  plannedIntervalSeconds: 115,
  targetLagSeconds: 1800,
  meetsTarget: true,
  lastError: null,
  errorSince: null,
  retryAt: null,
  droppedFields: [],
  parkedDeletions: 0,
};
const chain = {
  active: false,
  phase: 'incremental' as const,
  cursor: '40',
  lastSuccessAt: '2026-03-01T11:50:00.000Z',
  lastError: null,
  retryAt: null,
  staleResyncAt: null,
  staleResyncReason: null,
};

const list = {
  phase: 'incremental' as const,
  records: 6,
  lastSuccessAt: '2026-03-01T06:00:00.000Z',
  lagSeconds: 21_600,
  plannedIntervalSeconds: 86_400,
  targetLagSeconds: 86_400,
  lastError: null,
  retryAt: null,
};

/** A connection whose refresh token died while it was paused: the states an operator must not miss. */
const stuck: StatusView = {
  id: '6f1d5c1e-0000-4000-8000-000000000001',
  name: 'Shop "North"',
  division: 100001,
  exactBaseUrl: 'https://start.exactonline.nl',
  status: 'needs_reauth',
  paused: true,
  needsReauth: true,
  statusReason: 'refresh token expired <at> 11:00',
  channels: { b2b: { callbackUrl: 'https://shop.example/hooks?token=s3cr3t' } },
  entitySettings: { stock: { targetLagSeconds: 60 } },
  createdAt: '2026-02-01T00:00:00.000Z',
  updatedAt: '2026-03-01T11:00:00.000Z',
  tokens: null,
  entities: {
    items: { ...entity, lastError: '<b>Exact said no</b>' },
    stock: {
      ...entity,
      phase: 'initial',
      records: 0,
      lastSuccessAt: null,
      lagSeconds: null,
      targetLagSeconds: 60,
      meetsTarget: false,
    },
    prices: {
      ...entity,
      phase: 'error',
      lastError: "Property 'Item' does not exist.",
      errorSince: '2026-03-01T11:30:00.000Z',
      retryAt: '2026-03-01T12:30:00.000Z',
      parkedDeletions: 7,
    },
    accounts: { ...entity, droppedFields: ['Email', 'City'] },
    addresses: entity,
    contacts: { ...entity, enabled: false, phase: 'initial', records: 0 },
    orderHeaders: entity,
    orderLines: entity,
    deliveries: entity,
    deliveryLines: entity,
    invoices: entity,
  },
  deletions: {
    strategy: 'per_type',
    strategySince: '2026-02-28T12:00:00.000Z',
    plannedIntervalSeconds: 1800,
    cost: {
      windowSeconds: 86_400,
      rounds: 48,
      records: 250_000,
      foreign: 249_000,
      callsAll: 300,
      callsPerType: 193,
      decidedAt: '2026-03-01T11:50:00.000Z',
    },
    chains: {
      deleted: { ...chain, staleResyncAt: '2026-03-01T09:00:00.000Z', staleResyncReason: 'cursor <too> old' },
      deleted_items: { ...chain, active: true },
      deleted_stock: { ...chain, active: true },
      deleted_prices: { ...chain, active: true },
      deleted_accounts: { ...chain, active: true },
      deleted_addresses: { ...chain, active: true },
      deleted_contacts: chain,
      deleted_orderHeaders: { ...chain, active: true },
      deleted_orderLines: { ...chain, active: true },
      deleted_deliveries: { ...chain, active: true },
      deleted_deliveryLines: { ...chain, active: true },
      deleted_invoices: { ...chain, active: true },
    },
  },
  lists: {
    priceLists: list,
    priceListPeriods: list,
    volumeDiscounts: { ...list, records: 2400 },
    vatCodes: { ...list, phase: 'error', lastError: 'Forbidden <vat>' },
    vatPercentages: list,
    itemGroups: list,
    units: list,
    warehouses: { ...list, phase: 'initial', records: 0, lastSuccessAt: null, lagSeconds: null },
  },
  budget: null,
  orders: {
    accepted: 3,
    submitting: 0,
    submitted: 10,
    rejected: 1,
    failed: 2,
    partly_delivered: 4,
    delivered: 0,
    invoiced: 6,
    cancelled: 1,
  },
  callbacks: {
    b2b: {
      pending: 4,
      failing: 3,
      held: 0,
      overdue: 0,
      givenUp: 1,
      lastError: 'HTTP 503',
      lastErrorAt: '2026-03-01T11:59:00.000Z',
    },
    b2c: { pending: 0, failing: 0, held: 0, overdue: 0, givenUp: 0, lastError: null, lastErrorAt: null },
  },
};

const figure = (page: string, path: string) =>
  new RegExp(`data-figure="${path.replace(/\./g, '\\.')}" data-value="([^"]*)"`).exec(page)?.[1];

describe('the operator page', () => {
  const page = adminPage([stuck], { now: NOW, queuesPath: '/admin/queues' });

  it('flags a paused connection that needs reauthorization, with the reason', () => {
    expect(figure(page, 'status')).toBe('needs_reauth');
    expect(figure(page, 'paused')).toBe('true');
    expect(figure(page, 'needsReauth')).toBe('true');
    expect(page).toContain('needs reauthorization');
    expect(page).toContain('refresh token expired &lt;at&gt; 11:00');
  });

  it('shows sync progress, failures and orders by state as machine-readable figures', () => {
    expect(figure(page, 'entities.items.records')).toBe('1234');
    expect(page).toContain('>1,234<');
    expect(figure(page, 'entities.stock.phase')).toBe('initial');
    expect(figure(page, 'entities.stock.lastSuccessAt')).toBe('');
    expect(figure(page, 'entities.prices.lagSeconds')).toBe('120');
    expect(page).toContain('2 min');
    expect(figure(page, 'entities.items.lastError')).toBe('&lt;b&gt;Exact said no&lt;/b&gt;');
    expect(page).not.toContain('<b>Exact');
    expect(figure(page, 'orders.failed')).toBe('2');
    expect(figure(page, 'orders.submitted')).toBe('10');
  });

  it('shows an entity in error with its retry, dropped fields, parked deletions and missed targets', () => {
    expect(figure(page, 'entities.prices.phase')).toBe('error');
    expect(figure(page, 'entities.prices.retryAt')).toBe('2026-03-01T12:30:00.000Z');
    expect(page).toContain('in 30 min');
    expect(figure(page, 'entities.prices.parkedDeletions')).toBe('7');
    expect(figure(page, 'entities.accounts.droppedFields')).toBe('Email,City');
    expect(figure(page, 'entities.stock.meetsTarget')).toBe('false');
    expect(page).toContain('misses target');
    expect(figure(page, 'entities.items.meetsTarget')).toBe('true');
  });

  it('lists every synced dataset, the order life and CRM ones too, and marks one switched off', () => {
    for (const name of ['addresses', 'orderHeaders', 'orderLines', 'deliveries', 'deliveryLines', 'invoices'])
      expect(figure(page, `entities.${name}.records`), name).toBe('1234');
    expect(figure(page, 'entities.contacts.enabled')).toBe('false');
    expect(figure(page, 'entities.orderHeaders.enabled')).toBeUndefined();
    expect(figure(page, 'deletions.chains.deleted_invoices.phase')).toBe('incremental');
    expect(figure(page, 'lists.volumeDiscounts.records')).toBe('2400');
    expect(figure(page, 'lists.vatCodes.lastError')).toBe('Forbidden &lt;vat&gt;');
    expect(figure(page, 'lists.warehouses.phase')).toBe('initial');
    expect(page).toContain('every 1 d');
  });

  it('shows the deletions strategy, what both strategies cost, and a stale cursor that was resynced', () => {
    expect(figure(page, 'deletions.strategy')).toBe('per_type');
    expect(page).toContain('one chain per type 193 calls (chosen)');
    expect(page).toContain('unfiltered chain 300 calls (estimate)');
    expect(figure(page, 'deletions.chains.deleted.staleResyncReason')).toBe('cursor &lt;too&gt; old');
    expect(figure(page, 'deletions.chains.deleted_items.phase')).toBe('incremental');
  });

  it('shows failing callbacks per channel, and where they go without the query string', () => {
    expect(figure(page, 'callbacks.b2b.failing')).toBe('3');
    expect(figure(page, 'callbacks.b2b.givenUp')).toBe('1');
    expect(figure(page, 'callbacks.b2b.lastError')).toBe('HTTP 503');
    expect(figure(page, 'callbacks.b2c.pending')).toBe('0');
    expect(page).toContain('https://shop.example/hooks<');
    expect(page).not.toContain('s3cr3t');
    expect(page).toContain('no callback URL');
  });

  it('says why there is no budget instead of showing empty gauges', () => {
    expect(page).toContain('No budget to show');
    expect(page).not.toContain('<meter');
  });

  it('invites creating a connection when there is none', () => {
    expect(adminPage([], { now: NOW, queuesPath: '/admin/queues' })).toContain('No connections yet');
  });
});
