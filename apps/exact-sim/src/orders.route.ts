import { randomUUID } from 'node:crypto';
import { type ApiRequest, type ApiRoute, divisionUrl } from './api-types.ts';
import { type CrudSource, listReply, singleReply } from './crud-query.ts';
import type { ItemRecord } from './dataset/types.ts';
import { exactError, parseJson, type Reply } from './http.ts';
import { parseEdmDate, requireFields } from './odata.ts';
import { ORDER_TYPE, orderToApi } from './order-shape.ts';
import type { StoredLine, StoredOrder } from './orders-store.ts';
import type { SimState } from './state.ts';
import { fieldsOf } from './wire.ts';

const ORDER_FIELDS = fieldsOf('salesorder/SalesOrders');
const LINE_FIELDS = fieldsOf('salesorder/SalesOrderLines');

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Invalid order input; the message is what Exact's error body carries. */
class OrderInputError extends Error {
  override readonly name = 'OrderInputError';
}

type Body = Record<string, unknown>;

function optionalNumber(value: unknown, what: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new OrderInputError(`${what}: must be a number.`);
  return value;
}

function optionalText(value: unknown, what: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new OrderInputError(`${what}: must be a string.`);
  if (value.length > max) throw new OrderInputError(`${what}: longer than ${max} characters.`);
  return value;
}

function optionalDate(value: unknown, what: string): number | null {
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'string' ? (parseEdmDate(value) ?? Date.parse(value)) : Number.NaN;
  if (!Number.isFinite(ms)) throw new OrderInputError(`${what}: not a valid date.`);
  return ms;
}

function lines(req: ApiRequest, body: Body, basePrice: (item: ItemRecord) => number): StoredLine[] {
  const raw = body.SalesOrderLines;
  const list = Array.isArray(raw) ? raw : (raw as { results?: unknown } | null)?.results;
  if (!Array.isArray(list) || list.length === 0) {
    throw new OrderInputError('SalesOrderLines: an order needs at least one line.');
  }
  return list.map((value: unknown, i) => {
    const n = i + 1;
    if (typeof value !== 'object' || value === null)
      throw new OrderInputError(`SalesOrderLines[${n}]: not an object.`);
    const line = value as Body;
    requireFields(Object.keys(line), LINE_FIELDS);
    const itemId = typeof line.Item === 'string' && GUID.test(line.Item) ? line.Item.toLowerCase() : null;
    if (!itemId) throw new OrderInputError(`SalesOrderLines[${n}].Item: mandatory, an item ID (GUID).`);
    const item = req.store.get('items', itemId);
    if (!item) throw new OrderInputError(`SalesOrderLines[${n}].Item: item ${itemId} does not exist.`);
    const quantity = optionalNumber(line.Quantity, `SalesOrderLines[${n}].Quantity`) ?? 1;
    if (quantity <= 0) throw new OrderInputError(`SalesOrderLines[${n}].Quantity: must be greater than 0.`);
    const unitPrice = optionalNumber(line.UnitPrice, `SalesOrderLines[${n}].UnitPrice`);
    const netPrice =
      optionalNumber(line.NetPrice, `SalesOrderLines[${n}].NetPrice`) ?? unitPrice ?? basePrice(item);
    return {
      ID: randomUUID(),
      LineNumber: n,
      Item: item.ID,
      ItemCode: item.Code,
      Description:
        optionalText(line.Description, `SalesOrderLines[${n}].Description`, 255) ?? item.Description,
      Quantity: quantity,
      NetPrice: netPrice,
      UnitPrice: unitPrice ?? netPrice,
      AmountDC: Math.round(quantity * netPrice * 100) / 100,
    };
  });
}

function basePriceOf(req: ApiRequest): (item: ItemRecord) => number {
  return (item) => {
    for (const id of req.store.links.children('prices', 'Item', item.ID)) {
      const price = req.store.get('prices', id);
      if (price && price.Account === null && price.Quantity <= 1) return price.Price;
    }
    return 0;
  };
}

function createOrder(state: SimState, req: ApiRequest): Reply {
  const parsed = parseJson(req.body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return exactError(400, 'Error reading the request body: a JSON object is expected.');
  }
  const body = parsed as Body;
  requireFields(Object.keys(body), ORDER_FIELDS);
  try {
    const orderedBy =
      typeof body.OrderedBy === 'string' && GUID.test(body.OrderedBy) ? body.OrderedBy.toLowerCase() : null;
    if (!orderedBy) throw new OrderInputError('OrderedBy: mandatory, an account ID (GUID).');
    const account = req.store.get('accounts', orderedBy);
    if (!account) throw new OrderInputError(`OrderedBy: account ${orderedBy} does not exist.`);
    const now = state.clock.now();
    const orderLines = lines(req, body, basePriceOf(req));
    const order: StoredOrder = {
      OrderID: randomUUID(),
      OrderNumber: 0,
      Division: req.division,
      YourRef: optionalText(body.YourRef, 'YourRef', 255),
      OrderedBy: account.ID,
      OrderedByName: account.Name,
      Description: optionalText(body.Description, 'Description', 255),
      OrderDate: optionalDate(body.OrderDate, 'OrderDate') ?? now,
      DeliveryDate: optionalDate(body.DeliveryDate, 'DeliveryDate'),
      Status: 12,
      AmountDC: Math.round(orderLines.reduce((sum, l) => sum + l.AmountDC, 0) * 100) / 100,
      lines: orderLines,
      receivedAt: now,
    };
    order.OrderNumber = state.orders.nextNumber(req.division);
    state.orders.add(order);
    const uri = `${divisionUrl(req, 'salesorder/SalesOrders')}(guid'${order.OrderID}')`;
    state.webhooks.notify(req.division, 'SalesOrders', 'Update', order.OrderID, uri);
    return {
      status: 201,
      headers: { Location: uri },
      body: {
        d: { __metadata: { uri, type: ORDER_TYPE }, ...orderToApi(order, divisionUrl(req, ''), 'inline') },
      },
    };
  } catch (error) {
    if (error instanceof OrderInputError) return exactError(400, error.message);
    throw error;
  }
}

function source(state: SimState, req: ApiRequest): CrudSource {
  const base = divisionUrl(req, '');
  return {
    path: 'salesorder/SalesOrders',
    schemaPath: 'salesorder/SalesOrders',
    odataType: ORDER_TYPE,
    idField: 'OrderID',
    fields: ORDER_FIELDS,
    all: () => state.orders.list(req.division).map((o) => orderToApi(o, base, 'deferred')),
    byId: (id) => {
      const order = state.orders.get(req.division, id);
      return order ? orderToApi(order, base, 'deferred') : undefined;
    },
    mandatoryFilter: false,
  };
}

/** `salesorder/SalesOrders`: POST creates, GET lists (filter on YourRef / OrderedBy) or reads one. */
export const orderRoutes: ApiRoute[] = [
  {
    name: 'salesorder/SalesOrders',
    scope: 'orders',
    handlers: {
      POST: (state, req) =>
        req.key === null ? createOrder(state, req) : exactError(400, 'POST on a key is not allowed.'),
      GET: (state, req) =>
        req.key === null
          ? listReply(state, req, source(state, req))
          : singleReply(state, req, source(state, req)),
    },
  },
];
