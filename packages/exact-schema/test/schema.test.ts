import { describe, expect, it } from 'vitest';
import {
  EXACT_ENDPOINTS,
  EXACT_SCHEMA,
  type FilterableField,
  type Postable,
  type SelectableField,
} from '../src/index.ts';

// Compile-time checks: `pnpm typecheck` fails if a line marked @ts-expect-error stops being an error.
const stockSelect: readonly SelectableField<'sync/Inventory/StockPositions'>[] = [
  'ID',
  'ItemId',
  'Timestamp',
];
// @ts-expect-error Exact's sync/Inventory/StockPositions has no Modified.
const stockModified: SelectableField<'sync/Inventory/StockPositions'> = 'Modified';
// @ts-expect-error The plain logistics/Items has no Timestamp (only its sync version does).
const itemTimestamp: SelectableField<'logistics/Items'> = 'Timestamp';
// @ts-expect-error Sync endpoints filter on Timestamp only.
const syncFilter: FilterableField<'sync/Logistics/Items'> = 'Code';
type OrderBody = Postable<'salesorder/SalesOrders', { OrderedBy: string; YourRef?: string }>;
// @ts-expect-error AmountDC is read-only on salesorder/SalesOrders.
type BadOrderBody = Postable<'salesorder/SalesOrders', { OrderedBy: string; AmountDC: number }>;

describe('the Exact schema', () => {
  it('compiles the typed examples above', () => {
    const body: OrderBody = { OrderedBy: 'x' };
    const bad: BadOrderBody | null = null;
    expect([stockSelect, stockModified, itemTimestamp, syncFilter, body, bad]).toHaveLength(6);
  });

  it('has each path once, and each endpoint under its own path', () => {
    const paths = EXACT_ENDPOINTS.map((e) => e.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const [path, endpoint] of Object.entries(EXACT_SCHEMA)) expect(endpoint.path).toBe(path);
  });

  it.each(EXACT_ENDPOINTS.map((e) => [e.path, e] as const))('%s is consistent and sourced', (_path, e) => {
    const fields = Object.keys(e.fields);
    expect(fields).toContain(e.key);
    for (const list of [e.filterable, e.postable, e.requiredOnPost, e.essential ?? []]) {
      for (const field of list) expect(fields, field).toContain(field);
    }
    for (const field of e.requiredOnPost) expect(e.postable).toContain(field);
    expect(new Set(e.sources.map((s) => s.repo)).size).toBeGreaterThanOrEqual(2);
    if (e.kind === 'sync') {
      expect(e.fields.Timestamp).toBe('Edm.Int64');
      expect(e.filterable).toContain('Timestamp');
      expect(e.pageSize).toBe(1000);
    } else {
      expect(e.fields).not.toHaveProperty('Timestamp');
    }
  });

  it('marks what the service cannot do without on the entities it stores', () => {
    expect(EXACT_SCHEMA['sync/Inventory/StockPositions'].essential).toEqual(['ID', 'Timestamp', 'ItemId']);
    expect(EXACT_SCHEMA['sync/Logistics/SalesItemPrices'].essential).toEqual(['ID', 'Timestamp', 'Item']);
    expect(EXACT_SCHEMA['sync/CRM/Accounts'].essential).toEqual(['ID', 'Timestamp', 'Code']);
    expect(EXACT_SCHEMA['sync/Logistics/Items'].essential).toEqual(['ID', 'Timestamp', 'Code']);
  });
});
