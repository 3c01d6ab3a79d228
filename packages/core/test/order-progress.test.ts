import { describe, expect, it } from 'vitest';
import { canTransition, type OrderStatus, progressPath } from '../src/orders.ts';

const header = (status: number, deliveryStatus: number, invoiceStatus: number) => ({
  status,
  deliveryStatus,
  invoiceStatus,
});

describe("an order's path after submitted, from Exact's header", () => {
  it.each([
    ['submitted', header(12, 12, 12), []],
    ['submitted', header(20, 20, 12), ['partly_delivered']],
    ['submitted', header(20, 21, 12), ['delivered']],
    ['submitted', header(21, 21, 21), ['delivered', 'invoiced']],
    ['partly_delivered', header(20, 20, 20), []],
    ['partly_delivered', header(21, 21, 21), ['delivered', 'invoiced']],
    ['delivered', header(20, 21, 20), []],
    ['delivered', header(21, 21, 21), ['invoiced']],
    // Invoiced before delivery (Exact allows it): invoiced ends the order.
    ['submitted', header(20, 12, 21), ['invoiced']],
    ['partly_delivered', header(45, 20, 12), ['cancelled']],
    ['invoiced', header(45, 21, 21), []],
    // An older header read again never moves an order back.
    ['delivered', header(20, 20, 12), []],
    ['invoiced', header(12, 12, 12), []],
  ] as [OrderStatus, ReturnType<typeof header>, OrderStatus[]][])('%s with %o goes %o', (from, h, path) => {
    expect(progressPath(from, h)).toEqual(path);
  });

  it('never leaves the states before submitted, nor the final ones', () => {
    for (const from of ['accepted', 'submitting', 'rejected', 'failed', 'invoiced', 'cancelled'] as const) {
      expect(progressPath(from, header(21, 21, 21)), from).toEqual([]);
      expect(progressPath(from, header(45, 12, 12)), from).toEqual([]);
    }
    expect(canTransition('delivered', 'partly_delivered')).toBe(false);
    expect(canTransition('cancelled', 'invoiced')).toBe(false);
  });
});
