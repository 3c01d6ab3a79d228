import { randomUUID } from 'node:crypto';
import { type ApiRequest, type ApiRoute, divisionUrl } from './api-types.ts';
import { type CrudSource, listReply, singleReply } from './crud-query.ts';
import type { AccountRecord } from './dataset/types.ts';
import { exactError, parseJson, type Reply } from './http.ts';
import { requireFields } from './odata.ts';
import { OrderInputError, optionalDate, optionalGuid, optionalText } from './order-input.ts';
import { parseLines } from './order-lines.ts';
import { publishOrder } from './order-records.ts';
import { ORDER_TYPE, orderToApi } from './order-shape.ts';
import { ORDER_STATUS } from './order-status.ts';
import type { StoredOrder } from './orders-store.ts';
import type { SimState } from './state.ts';
import { fieldsOf } from './wire.ts';

const ORDER_FIELDS = fieldsOf('salesorder/SalesOrders');

type Body = Record<string, unknown>;

const cents = (n: number): number => Math.round(n * 100) / 100;

function accountField(req: ApiRequest, value: unknown, field: string): AccountRecord | null {
  const id = optionalGuid(value, field);
  if (id === null) return null;
  const account = req.store.get('accounts', id);
  if (!account) throw new OrderInputError(`${field}: account ${id} does not exist.`);
  return account;
}

/** The references an order may carry besides its customer, each checked against the division's data. */
function references(state: SimState, req: ApiRequest, body: Body, orderedBy: AccountRecord) {
  const deliverTo = accountField(req, body.DeliverTo, 'DeliverTo') ?? orderedBy;
  const invoiceTo = accountField(req, body.InvoiceTo, 'InvoiceTo') ?? orderedBy;
  const addressId = optionalGuid(body.DeliveryAddress, 'DeliveryAddress');
  const address = addressId === null ? undefined : req.store.get('addresses', addressId);
  if (addressId !== null && address?.Account !== deliverTo.ID) {
    throw new OrderInputError(
      address
        ? `DeliveryAddress: address ${addressId} does not belong to account ${deliverTo.ID}.`
        : `DeliveryAddress: address ${addressId} does not exist.`,
    );
  }
  const contactId = optionalGuid(body.OrderedByContactPerson, 'OrderedByContactPerson');
  const contact = contactId === null ? undefined : req.store.get('contacts', contactId);
  if (contactId !== null && contact?.Account !== orderedBy.ID) {
    throw new OrderInputError(
      contact
        ? `OrderedByContactPerson: contact ${contactId} does not belong to account ${orderedBy.ID}.`
        : `OrderedByContactPerson: contact ${contactId} does not exist.`,
    );
  }
  const warehouseId = optionalGuid(body.WarehouseID, 'WarehouseID');
  if (warehouseId !== null && !state.config.warehouseIdOnOrders) {
    throw new OrderInputError(
      'WarehouseID: not supported in this edition; only the Wholesale & Distribution and Manufacturing editions accept it.',
    );
  }
  if (warehouseId !== null && !req.store.ref('warehouses', warehouseId))
    throw new OrderInputError(`WarehouseID: warehouse ${warehouseId} does not exist.`);
  return { deliverTo, invoiceTo, addressId, contactId, warehouseId };
}

function buildOrder(state: SimState, req: ApiRequest, body: Body): StoredOrder {
  const orderedBy = accountField(req, body.OrderedBy, 'OrderedBy');
  if (!orderedBy) throw new OrderInputError('OrderedBy: mandatory, an account ID (GUID).');
  const refs = references(state, req, body, orderedBy);
  const now = state.clock.now();
  const orderDate = optionalDate(body.OrderDate, 'OrderDate') ?? now;
  const lines = parseLines(req, body, orderedBy, orderDate);
  const excl = cents(lines.reduce((sum, l) => sum + l.AmountDC, 0));
  const vat = cents(lines.reduce((sum, l) => sum + l.VATAmount, 0));
  return {
    OrderID: randomUUID(),
    OrderNumber: 0,
    Division: req.division,
    YourRef: optionalText(body.YourRef, 'YourRef', 255),
    OrderedBy: orderedBy.ID,
    OrderedByName: orderedBy.Name,
    OrderedByContactPerson: refs.contactId,
    DeliverTo: refs.deliverTo.ID,
    DeliverToName: refs.deliverTo.Name,
    DeliveryAddress: refs.addressId,
    InvoiceTo: refs.invoiceTo.ID,
    InvoiceToName: refs.invoiceTo.Name,
    Description: optionalText(body.Description, 'Description', 255),
    Remarks: optionalText(body.Remarks, 'Remarks', 4000),
    OrderDate: orderDate,
    DeliveryDate: optionalDate(body.DeliveryDate, 'DeliveryDate'),
    WarehouseID: refs.warehouseId,
    PaymentCondition:
      optionalText(body.PaymentCondition, 'PaymentCondition', 30) ?? orderedBy.PaymentConditionSales,
    Currency: 'EUR',
    Status: ORDER_STATUS.open,
    DeliveryStatus: ORDER_STATUS.open,
    InvoiceStatus: ORDER_STATUS.open,
    AmountDC: cents(excl + vat),
    AmountFCExclVat: excl,
    AmountDiscount: cents(lines.reduce((sum, l) => sum + l.Quantity * (l.UnitPrice - l.NetPrice), 0)),
    lines,
    receivedAt: now,
    modifiedAt: now,
  };
}

function createOrder(state: SimState, req: ApiRequest): Reply {
  const parsed = parseJson(req.body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return exactError(400, 'Error reading the request body: a JSON object is expected.');
  }
  const body = parsed as Body;
  requireFields(Object.keys(body), ORDER_FIELDS);
  let order: StoredOrder;
  try {
    order = buildOrder(state, req, body);
  } catch (error) {
    if (error instanceof OrderInputError) return exactError(400, error.message);
    throw error;
  }
  order.OrderNumber = state.orders.nextNumber(req.division);
  state.orders.add(order);
  publishOrder(req.store, order);
  const uri = `${divisionUrl(req, 'salesorder/SalesOrders')}(guid'${order.OrderID}')`;
  state.webhooks.notify(req.division, 'SalesOrders', 'Update', order.OrderID, uri);
  return {
    status: 201,
    headers: { Location: uri },
    body: {
      d: { __metadata: { uri, type: ORDER_TYPE }, ...orderToApi(order, divisionUrl(req, ''), 'inline') },
    },
  };
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
