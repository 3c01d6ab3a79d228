import { describe, expect, it } from 'vitest';
import {
  type PriceListPeriodSource,
  type PriceSource,
  type PricingInput,
  priceLine,
  type VatSource,
  type VolumeDiscountSource,
} from '../src/pricing.ts';

// One rule at a time: each test builds the rows a line sees and checks which rule wins and what it gives.

const ITEM = 'a0000000-0000-0000-0000-000000000001';
const GROUP = 'a0000000-0000-0000-0000-0000000000aa';
const ACCOUNT = 'b0000000-0000-0000-0000-000000000001';
const OTHER = 'b0000000-0000-0000-0000-000000000002';
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

let ids = 0;
const nextId = () => `c0000000-0000-0000-0000-${String(++ids).padStart(12, '0')}`;

function price(p: Partial<PriceSource> & { price: string }): PriceSource {
  return {
    exactId: nextId(),
    accountId: null,
    quantity: '0',
    unit: 'pc',
    numberOfItemsPerUnit: '1',
    currency: 'EUR',
    startDate: null,
    endDate: null,
    ...p,
  };
}

function period(p: Partial<PriceListPeriodSource> = {}): PriceListPeriodSource {
  return { exactId: nextId(), startDate: day('2025-01-01'), endDate: null, type: 1, currency: 'EUR', ...p };
}

function volume(periodId: string, p: Partial<VolumeDiscountSource>): VolumeDiscountSource {
  return {
    exactId: nextId(),
    priceListPeriodId: periodId,
    itemId: ITEM,
    itemGroupId: null,
    entryMethod: 1,
    discount: null,
    newPrice: null,
    quantity: '1',
    unit: null,
    ...p,
  };
}

const VAT21: VatSource = { code: '2', type: 'E', percentage: '0.21', percentages: [] };

function line(p: Partial<PricingInput> = {}): PricingInput {
  return {
    item: { exactId: ITEM, unit: 'pc', itemGroupId: GROUP },
    account: { exactId: ACCOUNT, discountSales: null, salesCurrency: 'EUR' },
    unit: 'pc',
    quantity: 1,
    date: day('2025-03-01'),
    prices: [price({ price: '10' })],
    periods: [],
    volumeDiscounts: [],
    vat: VAT21,
    ...p,
  };
}

describe('priceLine', () => {
  it('general_price: the general price, the highest quantity break reached', () => {
    const prices = [
      price({ price: '10' }),
      price({ price: '9', quantity: '10' }),
      price({ price: '8', quantity: '50' }),
    ];
    expect(priceLine(line({ prices, quantity: 9 }))).toMatchObject({ rule: 'general_price', unitPrice: 10 });
    expect(priceLine(line({ prices, quantity: 10 }))).toMatchObject({ rule: 'general_price', unitPrice: 9 });
    expect(priceLine(line({ prices, quantity: 60 }))).toMatchObject({ unitPrice: 8, basePrice: 10 });
  });

  it('account_discount: the general price less DiscountSales, rounded to cents', () => {
    const account = { exactId: ACCOUNT, discountSales: '0.055', salesCurrency: 'EUR' };
    const quoted = priceLine(line({ account, prices: [price({ price: '9.99' })] }));
    expect(quoted).toMatchObject({ rule: 'account_discount', unitPrice: 9.44, basePrice: 9.99 });
  });

  it("customer_price: the customer's own price wins over the general one, another customer's never counts", () => {
    const prices = [
      price({ price: '10' }),
      price({ price: '7.5', accountId: ACCOUNT }),
      price({ price: '7', accountId: ACCOUNT, quantity: '20' }),
      price({ price: '1', accountId: OTHER }),
    ];
    const account = { exactId: ACCOUNT, discountSales: '0.1', salesCurrency: 'EUR' };
    const few = priceLine(line({ prices, account, quantity: 5 }));
    expect(few).toMatchObject({ rule: 'customer_price', unitPrice: 7.5 });
    // The other rules that matched are listed after the winner, so a shop can check.
    expect(few.matches.map((m) => [m.rule, m.unitPrice])).toEqual([
      ['customer_price', 7.5],
      ['account_discount', 9],
    ]);
    expect(priceLine(line({ prices, account, quantity: 20 })).unitPrice).toBe(7);
  });

  it('price_list: EntryMethod 2 gives NewPrice at the highest break reached, before the general price', () => {
    const p = period();
    const volumeDiscounts = [
      volume(p.exactId, { entryMethod: 2, newPrice: '9.5', quantity: '1' }),
      volume(p.exactId, { entryMethod: 2, newPrice: '8.75', quantity: '10' }),
    ];
    const at = (quantity: number) => priceLine(line({ periods: [p], volumeDiscounts, quantity }));
    expect(at(9)).toMatchObject({ rule: 'price_list', unitPrice: 9.5 });
    expect(at(10)).toMatchObject({ rule: 'price_list', unitPrice: 8.75, basePrice: 10 });
    expect(at(10).matches.map((m) => m.rule)).toEqual(['price_list', 'general_price']);
  });

  it('price_list: EntryMethod 1 takes Discount off the general price at break 1, and DiscountSales is not added', () => {
    const p = period();
    const prices = [price({ price: '20' }), price({ price: '18', quantity: '10' })];
    const volumeDiscounts = [volume(p.exactId, { discount: '0.15', quantity: '10' })];
    const account = { exactId: ACCOUNT, discountSales: '0.5', salesCurrency: 'EUR' };
    const quoted = priceLine(line({ prices, account, periods: [p], volumeDiscounts, quantity: 12 }));
    expect(quoted).toMatchObject({ rule: 'price_list', unitPrice: 17 });
  });

  it("price_list: the customer's own price still wins over the list", () => {
    const p = period();
    const quoted = priceLine(
      line({
        prices: [price({ price: '10' }), price({ price: '6', accountId: ACCOUNT })],
        periods: [p],
        volumeDiscounts: [volume(p.exactId, { entryMethod: 2, newPrice: '5' })],
      }),
    );
    expect(quoted).toMatchObject({ rule: 'customer_price', unitPrice: 6 });
    expect(quoted.matches.map((m) => m.rule)).toEqual(['customer_price', 'price_list', 'general_price']);
  });

  it('price_list periods: only those valid on the date; special offers first, then the latest start', () => {
    const ended = period({ startDate: day('2023-01-01'), endDate: day('2024-12-31') });
    const current = period({ startDate: day('2025-01-01') });
    const offer = period({ startDate: day('2025-06-01'), endDate: day('2025-08-31'), type: 2 });
    const periods = [ended, current, offer];
    const volumeDiscounts = [
      volume(ended.exactId, { entryMethod: 2, newPrice: '9' }),
      volume(current.exactId, { entryMethod: 2, newPrice: '8' }),
      volume(offer.exactId, { entryMethod: 2, newPrice: '7' }),
    ];
    const on = (iso: string) => priceLine(line({ periods, volumeDiscounts, date: day(iso) })).unitPrice;
    expect(on('2024-12-31')).toBe(9); // the end day counts in full
    expect(on('2025-01-01')).toBe(8);
    expect(on('2025-07-01')).toBe(7);
    expect(on('2025-09-01')).toBe(8);
  });

  it('price_list rows: the item before its group, a row in another unit never', () => {
    const p = period();
    const group = volume(p.exactId, { itemId: null, itemGroupId: GROUP, discount: '0.2' });
    const other = volume(p.exactId, { entryMethod: 2, newPrice: '1', unit: 'box' });
    expect(priceLine(line({ periods: [p], volumeDiscounts: [group, other] }))).toMatchObject({
      rule: 'price_list',
      unitPrice: 8,
    });
    const item = volume(p.exactId, { discount: '0.1', quantity: '5' });
    const both = [group, item];
    expect(priceLine(line({ periods: [p], volumeDiscounts: both, quantity: 5 })).unitPrice).toBe(9);
    // Below the item row's break the group row applies.
    expect(priceLine(line({ periods: [p], volumeDiscounts: both, quantity: 4 })).unitPrice).toBe(8);
  });

  it('validity: prices outside their StartDate/EndDate do not count; the end day counts in full', () => {
    const prices = [
      price({ price: '10' }),
      price({ price: '5', accountId: ACCOUNT, startDate: day('2025-02-01'), endDate: day('2025-02-28') }),
    ];
    const on = (iso: string) => priceLine(line({ prices, date: day(iso) }));
    expect(on('2025-01-31').rule).toBe('general_price');
    expect(on('2025-02-28')).toMatchObject({ rule: 'customer_price', unitPrice: 5 });
    expect(on('2025-03-01').rule).toBe('general_price');
  });

  it('units: a price per box of 12 prices a line in boxes; quantity breaks count in boxes', () => {
    const prices = [
      price({ price: '2' }),
      price({ price: '21.6', unit: 'box', numberOfItemsPerUnit: '12' }),
      price({ price: '20.4', unit: 'box', numberOfItemsPerUnit: '12', quantity: '5' }),
    ];
    const boxes = (quantity: number) => priceLine(line({ prices, unit: 'box', quantity }));
    expect(boxes(2)).toMatchObject({ rule: 'general_price', unitPrice: 21.6, amountExclVat: 43.2 });
    expect(boxes(5)).toMatchObject({ unitPrice: 20.4, amountExclVat: 102 });
    expect(priceLine(line({ prices, quantity: 3 }))).toMatchObject({ unitPrice: 2, amountExclVat: 6 });
  });

  it('units: a unit without a general price of its own is the item unit price × NumberOfItemsPerUnit', () => {
    const prices = [
      price({ price: '2' }),
      price({ price: '1.5', quantity: '24' }),
      // Only a customer's box price names the box, and so its size.
      price({ price: '20', accountId: OTHER, unit: 'box', numberOfItemsPerUnit: '12' }),
    ];
    const one = priceLine(line({ prices, unit: 'box', quantity: 1 }));
    expect(one).toMatchObject({ rule: 'general_price', unitPrice: 24, basePrice: 24 });
    expect(one.matches[0]).toMatchObject({ unitFactor: 12, quantityBreak: 0 });
    // 2 boxes are 24 pieces: the break of 24 applies.
    expect(priceLine(line({ prices, unit: 'box', quantity: 2 }))).toMatchObject({
      unitPrice: 18,
      amountExclVat: 36,
    });
  });

  it('no price at all: rule none, no amounts', () => {
    const quoted = priceLine(line({ prices: [price({ price: '10', accountId: OTHER })] }));
    expect(quoted).toMatchObject({ rule: 'none', unitPrice: null, amountExclVat: null, matches: [] });
  });

  it('VAT: type E adds the rate, type I includes it, B and N add none', () => {
    const prices = [price({ price: '12.1' })];
    expect(priceLine(line({ prices, quantity: 3 }))).toMatchObject({
      vat: { code: '2', rate: 0.21, pricesIncludeVat: false },
      amountExclVat: 36.3,
      vatAmount: 7.62,
      amountInclVat: 43.92,
    });
    const incl: VatSource = { code: '1', type: 'I', percentage: '0.21', percentages: [] };
    expect(priceLine(line({ prices, quantity: 3, vat: incl }))).toMatchObject({
      amountExclVat: 30,
      vatAmount: 6.3,
      amountInclVat: 36.3,
    });
    const none: VatSource = { code: '0', type: 'N', percentage: '0.21', percentages: [] };
    expect(priceLine(line({ prices, vat: none }))).toMatchObject({ vat: { rate: 0 }, vatAmount: 0 });
  });

  it('rounds amounts half up on the decimal value, not on the binary product', () => {
    // 5 × 8.5 = 42.5; 21 % of it is 8.925 (8.924999… in binary): 8.93.
    const quoted = priceLine(line({ prices: [price({ price: '8.5' })], quantity: 5 }));
    expect(quoted).toMatchObject({ amountExclVat: 42.5, vatAmount: 8.93, amountInclVat: 51.43 });
    const account = { exactId: ACCOUNT, discountSales: '0.5', salesCurrency: 'EUR' };
    expect(priceLine(line({ account, prices: [price({ price: '2.01' })] })).unitPrice).toBe(1.01);
  });

  it('VAT: the dated percentage valid on the date (latest start) wins over the code’s own', () => {
    const vat: VatSource = {
      code: '2',
      type: 'E',
      percentage: '0.21',
      percentages: [
        { percentage: '0.19', startDate: day('2020-01-01'), endDate: day('2024-12-31'), type: 0 },
        { percentage: '0.2', startDate: day('2025-01-01'), endDate: null, type: 0 },
        { percentage: '0.05', startDate: day('2025-01-01'), endDate: null, type: 1 },
      ],
    };
    expect(priceLine(line({ vat, date: day('2024-06-01') })).vat?.rate).toBe(0.19);
    expect(priceLine(line({ vat, date: day('2025-06-01') })).vat?.rate).toBe(0.2);
  });

  it('currency: of the row the price came from, else the account’s', () => {
    const p = period({ currency: 'USD' });
    const volumeDiscounts = [volume(p.exactId, { entryMethod: 2, newPrice: '5' })];
    expect(priceLine(line({ periods: [p], volumeDiscounts })).currency).toBe('USD');
    expect(priceLine(line({ prices: [price({ price: '1', currency: null })] })).currency).toBe('EUR');
  });
});
