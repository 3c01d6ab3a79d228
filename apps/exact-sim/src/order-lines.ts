import { randomUUID } from 'node:crypto';
import type { ApiRequest } from './api-types.ts';
import type { AccountRecord } from './dataset/types.ts';
import { requireFields } from './odata.ts';
import { OrderInputError, optionalGuid, optionalNumber, optionalText } from './order-input.ts';
import type { StoredLine } from './orders-store.ts';
import { priceLine, salesUnits } from './pricing.ts';
import { splitVat, vatCodeByCode, vatPercentageOn } from './vat.ts';
import { fieldsOf } from './wire.ts';

const LINE_FIELDS = fieldsOf('salesorder/SalesOrderLines');

type Body = Record<string, unknown>;

const cents = (n: number): number => Math.round(n * 100) / 100;

/** The unit a line is in: the item's own unless UnitCode names another unit the item is sold in. */
function unitOf(req: ApiRequest, line: Body, n: number, item: Parameters<typeof salesUnits>[1]): string {
  const given = optionalText(line.UnitCode, `SalesOrderLines[${n}].UnitCode`, 30);
  if (given === null) return item.Unit;
  const units = salesUnits(req.store, item);
  const unit = units.find((u) => u.toLowerCase() === given.toLowerCase());
  if (!unit) {
    throw new OrderInputError(
      `SalesOrderLines[${n}].UnitCode: item ${item.Code} is not sold in unit '${given}' (units: ${units.join(', ')}).`,
    );
  }
  return unit;
}

/**
 * One order line: the item, its unit, quantity and price in that unit (the POST's NetPrice/UnitPrice/Discount, or
 * the simulator's own price, see pricing.ts), VAT by code (the line's VATCode, else the customer's SalesVATCode,
 * else the item's SalesVatCode) at the percentage valid on the order date, and the amounts booked.
 */
function parseLine(
  req: ApiRequest,
  value: unknown,
  n: number,
  account: AccountRecord,
  date: number,
): StoredLine {
  if (typeof value !== 'object' || value === null)
    throw new OrderInputError(`SalesOrderLines[${n}]: not an object.`);
  const line = value as Body;
  requireFields(Object.keys(line), LINE_FIELDS);
  const itemId = optionalGuid(line.Item, `SalesOrderLines[${n}].Item`);
  if (!itemId) throw new OrderInputError(`SalesOrderLines[${n}].Item: mandatory, an item ID (GUID).`);
  const item = req.store.get('items', itemId);
  if (!item) throw new OrderInputError(`SalesOrderLines[${n}].Item: item ${itemId} does not exist.`);
  const quantity = optionalNumber(line.Quantity, `SalesOrderLines[${n}].Quantity`) ?? 1;
  if (quantity <= 0) throw new OrderInputError(`SalesOrderLines[${n}].Quantity: must be greater than 0.`);
  const unit = unitOf(req, line, n, item);
  const vatCode =
    optionalText(line.VATCode, `SalesOrderLines[${n}].VATCode`, 30) ??
    account.SalesVATCode ??
    item.SalesVatCode;
  const vat = vatCode === null ? undefined : vatCodeByCode(req.store, vatCode);
  if (vatCode !== null && !vat)
    throw new OrderInputError(`SalesOrderLines[${n}].VATCode: VAT code '${vatCode}' does not exist.`);
  const givenUnit = optionalNumber(line.UnitPrice, `SalesOrderLines[${n}].UnitPrice`);
  const givenNet = optionalNumber(line.NetPrice, `SalesOrderLines[${n}].NetPrice`);
  const givenDiscount = optionalNumber(line.Discount, `SalesOrderLines[${n}].Discount`);
  let unitPrice: number;
  let netPrice: number;
  let source = 'given';
  if (givenNet !== null || givenUnit !== null) {
    unitPrice = givenUnit ?? givenNet ?? 0;
    netPrice = givenNet ?? cents(unitPrice * (1 - (givenDiscount ?? 0)));
  } else {
    const priced = priceLine(req.store, { account, item, unit, quantity, date });
    ({ unitPrice, netPrice } = priced);
    source = priced.source;
  }
  const pct = vat ? vatPercentageOn(req.store, vat, date) : 0;
  const { excl, vat: vatAmount } = splitVat(quantity * netPrice, pct, vat?.Type ?? null);
  const units = [...req.store.refs.units.values()];
  return {
    ID: randomUUID(),
    LineNumber: n,
    Item: item.ID,
    ItemCode: item.Code,
    ItemDescription: item.Description,
    Description: optionalText(line.Description, `SalesOrderLines[${n}].Description`, 255) ?? item.Description,
    Quantity: quantity,
    UnitCode: unit,
    UnitDescription: units.find((u) => u.Code === unit)?.Description ?? null,
    UnitPrice: unitPrice,
    NetPrice: netPrice,
    Discount: unitPrice > 0 ? Math.round(((unitPrice - netPrice) / unitPrice) * 10_000) / 10_000 : 0,
    VATCode: vat?.Code ?? null,
    VATPercentage: pct,
    VATAmount: vatAmount,
    AmountDC: excl,
    QuantityDelivered: 0,
    QuantityInvoiced: 0,
    priceSource: source,
  };
}

export function parseLines(req: ApiRequest, body: Body, account: AccountRecord, date: number): StoredLine[] {
  const raw = body.SalesOrderLines;
  const list = Array.isArray(raw) ? raw : (raw as { results?: unknown } | null)?.results;
  if (!Array.isArray(list) || list.length === 0) {
    throw new OrderInputError('SalesOrderLines: an order needs at least one line.');
  }
  return list.map((value: unknown, i) => parseLine(req, value, i + 1, account, date));
}
