import type { Audited, Stamped } from './record-base.ts';

/** A sales order's sync records, as `sync/SalesOrder/SalesOrderHeaders` and `…/SalesOrderLines` serve them. */
export interface OrderHeaderRecord extends Stamped, Audited {
  OrderID: string;
  OrderNumber: number;
  OrderDate: string;
  OrderedBy: string;
  OrderedByName: string;
  DeliverTo: string;
  DeliveryAddress: string | null;
  DeliveryDate: string | null;
  YourRef: string | null;
  Description: string | null;
  Remarks: string | null;
  Currency: string;
  AmountDC: number;
  AmountFC: number;
  AmountFCExclVat: number;
  PaymentCondition: string | null;
  WarehouseID: string | null;
  Status: number;
  StatusDescription: string;
  DeliveryStatus: number;
  InvoiceStatus: number;
}

export interface OrderLineRecord extends Stamped, Audited {
  OrderID: string;
  OrderNumber: number;
  LineNumber: number;
  Item: string;
  ItemCode: string;
  ItemDescription: string;
  Description: string;
  Quantity: number;
  QuantityDelivered: number;
  QuantityInvoiced: number;
  UnitCode: string;
  UnitPrice: number;
  NetPrice: number;
  Discount: number;
  AmountDC: number;
  AmountFC: number;
  VATCode: string | null;
  VATAmount: number;
  VATPercentage: number;
  DeliveryDate: string | null;
  Status: number;
  DeliveryStatus: number;
  InvoiceStatus: number;
}

/** `sync/SalesOrder/GoodsDeliveries`: keyed by EntryID; `ID` repeats it for the simulator's tables. */
export interface DeliveryRecord extends Stamped, Audited {
  EntryID: string;
  EntryNumber: number;
  DeliveryNumber: number;
  DeliveryDate: string;
  DeliveryAccount: string;
  DeliveryAccountCode: string;
  DeliveryAccountName: string;
  DeliveryAddress: string | null;
  Description: string | null;
  Warehouse: string;
  WarehouseCode: string;
}

export interface DeliveryLineRecord extends Stamped, Audited {
  EntryID: string;
  LineNumber: number;
  Item: string;
  ItemCode: string;
  ItemDescription: string;
  Description: string;
  QuantityOrdered: number;
  QuantityDelivered: number;
  SalesOrderLineID: string;
  SalesOrderLineNumber: number;
  SalesOrderNumber: number;
  Unitcode: string;
  DeliveryDate: string;
}

/** `sync/SalesInvoice/SalesInvoices`: one record per invoice line; InvoiceID groups them. */
export interface InvoiceLineRecord extends Stamped, Audited {
  InvoiceID: string;
  InvoiceNumber: number;
  InvoiceDate: string;
  DueDate: string;
  InvoiceTo: string;
  InvoiceToName: string;
  OrderedBy: string;
  OrderNumber: number;
  YourRef: string | null;
  LineNumber: number;
  Item: string;
  ItemCode: string;
  Description: string;
  Quantity: number;
  UnitPrice: number;
  NetPrice: number;
  AmountDC: number;
  AmountFC: number;
  VATAmountDC: number;
  VATCode: string | null;
  VATPercentage: number;
  Currency: string;
  SalesOrder: string;
  SalesOrderLine: string;
  SalesOrderNumber: number;
  /** 50 processed. */
  Status: number;
  /** 8020 sales invoice. */
  Type: number;
}
