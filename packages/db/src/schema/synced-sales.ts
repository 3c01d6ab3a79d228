import { boolean, index, integer, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';
import { syncedColumns } from './synced.ts';

// The CRM data a B2B checkout needs and a sales order's life in Exact, synced like the catalogue (same columns,
// same Timestamp rules, same deletions). Every field is nullable: Exact may drop an optional one (schema drift).

/** `sync/CRM/Addresses`: Type 1 visit, 2 postal, 3 invoice, 4 delivery; `main` marks an account's first of a type. */
export const addresses = pgTable(
  'addresses',
  {
    ...syncedColumns(),
    accountId: uuid('account_id'),
    contactId: uuid('contact_id'),
    type: integer('type'),
    main: boolean('main'),
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    addressLine3: text('address_line3'),
    postcode: text('postcode'),
    city: text('city'),
    state: text('state'),
    country: text('country'),
    phone: text('phone'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('addresses_account').on(t.connectionId, t.accountId),
    index('addresses_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);

/** `sync/CRM/Contacts`: the people of an account. */
export const contacts = pgTable(
  'contacts',
  {
    ...syncedColumns(),
    accountId: uuid('account_id'),
    isMainContact: boolean('is_main_contact'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    fullName: text('full_name'),
    jobTitle: text('job_title'),
    email: text('email'),
    phone: text('phone'),
    mobile: text('mobile'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('contacts_account').on(t.connectionId, t.accountId),
    index('contacts_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);

/**
 * `sync/SalesOrder/SalesOrderHeaders`: Exact's side of a sales order. Status, DeliveryStatus and InvoiceStatus:
 * 12 open, 20 partial, 21 complete, 45 cancelled. `orderId` is the OrderID a POST answered with.
 */
export const exactOrderHeaders = pgTable(
  'exact_order_headers',
  {
    ...syncedColumns(),
    orderId: uuid('order_id'),
    orderNumber: integer('order_number'),
    orderDate: tstz('order_date'),
    deliveryDate: tstz('delivery_date'),
    orderedBy: uuid('ordered_by'),
    deliverTo: uuid('deliver_to'),
    deliveryAddress: uuid('delivery_address'),
    yourRef: text('your_ref'),
    description: text('description'),
    currency: text('currency'),
    /** Including VAT, in the division's currency. */
    amountDc: numeric('amount_dc'),
    amountFc: numeric('amount_fc'),
    amountFcExclVat: numeric('amount_fc_excl_vat'),
    status: integer('status'),
    deliveryStatus: integer('delivery_status'),
    invoiceStatus: integer('invoice_status'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('exact_order_headers_order').on(t.connectionId, t.orderId),
    index('exact_order_headers_number').on(t.connectionId, t.orderNumber),
    index('exact_order_headers_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);

/** `sync/SalesOrder/SalesOrderLines`: what Exact booked per line (amounts excluding VAT). */
export const exactOrderLines = pgTable(
  'exact_order_lines',
  {
    ...syncedColumns(),
    orderId: uuid('order_id'),
    orderNumber: integer('order_number'),
    lineNumber: integer('line_number'),
    itemId: uuid('item_id'),
    itemCode: text('item_code'),
    description: text('description'),
    quantity: numeric('quantity'),
    quantityDelivered: numeric('quantity_delivered'),
    quantityInvoiced: numeric('quantity_invoiced'),
    unitCode: text('unit_code'),
    unitPrice: numeric('unit_price'),
    netPrice: numeric('net_price'),
    discount: numeric('discount'),
    amountDc: numeric('amount_dc'),
    vatCode: text('vat_code'),
    vatAmount: numeric('vat_amount'),
    vatPercentage: numeric('vat_percentage'),
    status: integer('status'),
    deliveryStatus: integer('delivery_status'),
    invoiceStatus: integer('invoice_status'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('exact_order_lines_order').on(t.connectionId, t.orderId),
    index('exact_order_lines_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);

/** `sync/SalesOrder/GoodsDeliveries`, keyed by EntryID: a delivery reaches its orders only through its lines. */
export const goodsDeliveries = pgTable(
  'goods_deliveries',
  {
    ...syncedColumns(),
    deliveryNumber: integer('delivery_number'),
    deliveryDate: tstz('delivery_date'),
    deliveryAccount: uuid('delivery_account'),
    deliveryAddress: uuid('delivery_address'),
    description: text('description'),
    trackingNumber: text('tracking_number'),
    shippingMethodCode: text('shipping_method_code'),
    warehouseCode: text('warehouse_code'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('goods_deliveries_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);

/** `sync/SalesOrder/GoodsDeliveryLines`: each names its delivery (`entryId`) and the order line it delivers. */
export const goodsDeliveryLines = pgTable(
  'goods_delivery_lines',
  {
    ...syncedColumns(),
    entryId: uuid('entry_id'),
    lineNumber: integer('line_number'),
    itemId: uuid('item_id'),
    itemCode: text('item_code'),
    quantityOrdered: numeric('quantity_ordered'),
    quantityDelivered: numeric('quantity_delivered'),
    salesOrderLineId: uuid('sales_order_line_id'),
    salesOrderNumber: integer('sales_order_number'),
    unitCode: text('unit_code'),
    deliveryDate: tstz('delivery_date'),
    trackingNumber: text('tracking_number'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('goods_delivery_lines_order').on(t.connectionId, t.salesOrderNumber),
    index('goods_delivery_lines_entry').on(t.connectionId, t.entryId),
    index('goods_delivery_lines_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);

/** `sync/SalesInvoice/SalesInvoices`: one record per invoice line, grouped by `invoiceId`. */
export const salesInvoiceLines = pgTable(
  'sales_invoice_lines',
  {
    ...syncedColumns(),
    invoiceId: uuid('invoice_id'),
    invoiceNumber: integer('invoice_number'),
    invoiceDate: tstz('invoice_date'),
    dueDate: tstz('due_date'),
    invoiceTo: uuid('invoice_to'),
    salesOrderId: uuid('sales_order_id'),
    salesOrderLineId: uuid('sales_order_line_id'),
    salesOrderNumber: integer('sales_order_number'),
    lineNumber: integer('line_number'),
    itemId: uuid('item_id'),
    itemCode: text('item_code'),
    description: text('description'),
    quantity: numeric('quantity'),
    netPrice: numeric('net_price'),
    /** Excluding VAT. */
    amountDc: numeric('amount_dc'),
    vatAmountDc: numeric('vat_amount_dc'),
    vatCode: text('vat_code'),
    vatPercentage: numeric('vat_percentage'),
    currency: text('currency'),
    status: integer('status'),
    type: integer('type'),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.exactId] }),
    index('sales_invoice_lines_order').on(t.connectionId, t.salesOrderId),
    index('sales_invoice_lines_number').on(t.connectionId, t.salesOrderNumber),
    index('sales_invoice_lines_updated').on(t.connectionId, t.updatedAt, t.exactId),
  ],
);
