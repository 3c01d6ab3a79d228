import { describe, expect, it } from 'vitest';
import { estimateStrategies } from '../src/sync/strategy-estimate.ts';
import { missingProperty } from '../src/sync/sync-refusals.ts';

const MIN = 60_000;
/** A connection syncing the four catalogue entities: four typed chains a round. */
const FOUR = ['items', 'stock', 'prices', 'accounts'] as const;
const DAY = 24 * 60 * MIN;

/** A round of the unfiltered chain reading `own` deletions of synced types (as items) and `foreign` others. */
const unfiltered = (at: number, own: number, foreign: number, spanMs = 30 * MIN) => ({
  roundAt: new Date(at),
  chain: 'deleted',
  probe: false,
  pages: Math.max(1, Math.ceil((own + foreign) / 1000)),
  records: own + foreign,
  foreign,
  foreignSpanMs: spanMs,
  byEntity: { items: own },
});

/** A round of the four typed chains, `own` deletions of items among them. */
const typed = (at: number, own: number) =>
  ['deleted_items', 'deleted_stock', 'deleted_prices', 'deleted_accounts'].map((chain, i) => ({
    roundAt: new Date(at),
    chain,
    probe: false,
    pages: i === 0 ? Math.max(1, Math.ceil(own / 1000)) : 1,
    records: i === 0 ? own : 0,
    foreign: 0,
    foreignSpanMs: 0,
    byEntity: i === 0 ? { items: own } : {},
  }));

const probe = (at: number, foreign: number, spanMs: number) => ({
  roundAt: new Date(at),
  chain: 'deleted',
  probe: true,
  pages: 1,
  records: foreign,
  foreign,
  foreignSpanMs: spanMs,
  byEntity: {},
});

const day = (n: number) => Array.from({ length: n }, (_, i) => (i * DAY) / n);

describe('comparing the deletion strategies over a window', () => {
  it('keeps the unfiltered chain cheaper while the division deletes little of other types', () => {
    const rounds = day(48).map((at) => unfiltered(at, 5, 200));
    const estimate = estimateStrategies(rounds, DAY, FOUR);
    expect(estimate.callsAll).toBe(48);
    // Four typed chains a round, and one probe call.
    expect(estimate.callsPerType).toBe(48 * 4 + 1);
    expect(estimate.foreign).toBe(48 * 200);
  });

  it('favours per-type chains once foreign deletions fill pages every round', () => {
    const rounds = day(48).map((at) => unfiltered(at, 5, 5_500));
    const estimate = estimateStrategies(rounds, DAY, FOUR);
    expect(estimate.callsAll).toBe(48 * 6);
    expect(estimate.callsPerType).toBeLessThan(estimate.callsAll);
  });

  it('estimates the unfiltered chain for per-type rounds from the probe’s rate', () => {
    // A probe page of 1,000 foreign deletions spread over 6 minutes: 240,000 a day, 5,000 a round of 48.
    const rounds = [...day(48).flatMap((at) => typed(at, 10)), probe((47 * DAY) / 48, 1_000, 6 * MIN)];
    const estimate = estimateStrategies(rounds, DAY, FOUR);
    expect(estimate.callsPerType).toBe(48 * 4 + 1);
    expect(estimate.foreign).toBe(240_000);
    expect(estimate.callsAll).toBe(48 * 6);
  });

  it('lets the unfiltered chain win back when the probe finds the foreign volume gone', () => {
    const rounds = [...day(48).flatMap((at) => typed(at, 10)), probe(DAY - 2, 0, DAY)];
    const estimate = estimateStrategies(rounds, DAY, FOUR);
    expect(estimate.callsAll).toBe(48);
    expect(estimate.callsPerType).toBeGreaterThan(estimate.callsAll);
  });

  it('takes the foreign rate from recent reads, not from a first run’s weeks of backlog', () => {
    const first = unfiltered(0, 0, 40_000, 55 * DAY);
    const rounds = [
      first,
      ...day(48)
        .slice(1)
        .map((at) => unfiltered(at, 0, 3_000)),
    ];
    expect(estimateStrategies(rounds, DAY, FOUR).foreign).toBe(3_000 * 48);
  });

  it('has nothing to compare without rounds', () => {
    expect(estimateStrategies([], DAY, FOUR)).toEqual({
      callsAll: 0,
      callsPerType: 0,
      rounds: 0,
      records: 0,
      foreign: 0,
    });
  });
});

describe('reading Exact’s refusal of a field', () => {
  it('finds the property Exact says the endpoint lacks, and nothing in other refusals', () => {
    expect(missingProperty("Property 'Barcode' does not exist.")).toBe('Barcode');
    expect(missingProperty("Exact forbids GET sync/Logistics/Items: Property 'Code' does not exist")).toBe(
      'Code',
    );
    expect(missingProperty('This endpoint has mandatory filtering applied')).toBeUndefined();
  });
});
