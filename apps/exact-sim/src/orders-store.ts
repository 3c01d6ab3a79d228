import type { ChangeEvent } from './dataset/changes.ts';

/** One sales order line as stored; quantities and prices are in the line's unit (`UnitCode`). */
export interface StoredLine {
  ID: string;
  LineNumber: number;
  Item: string;
  ItemCode: string;
  ItemDescription: string;
  Description: string;
  Quantity: number;
  UnitCode: string;
  UnitDescription: string | null;
  /** The item's general price in this unit; NetPrice = UnitPrice × (1 − Discount). */
  UnitPrice: number;
  NetPrice: number;
  Discount: number;
  VATCode: string | null;
  VATPercentage: number;
  VATAmount: number;
  /** Amount excluding VAT (Exact's line AmountDC/AmountFC). */
  AmountDC: number;
  QuantityDelivered: number;
  QuantityInvoiced: number;
  /** Where an unpriced line's price came from (simulator only, for tests): given, customer, price-list, general. */
  priceSource: string;
}

/** One sales order as stored (dates in epoch ms); its sync records are projections of it. */
export interface StoredOrder {
  OrderID: string;
  OrderNumber: number;
  Division: number;
  YourRef: string | null;
  OrderedBy: string;
  OrderedByName: string;
  OrderedByContactPerson: string | null;
  DeliverTo: string;
  DeliverToName: string;
  DeliveryAddress: string | null;
  InvoiceTo: string;
  InvoiceToName: string;
  Description: string | null;
  Remarks: string | null;
  OrderDate: number;
  DeliveryDate: number | null;
  WarehouseID: string | null;
  PaymentCondition: string | null;
  Currency: string;
  Status: number;
  DeliveryStatus: number;
  InvoiceStatus: number;
  /** Including VAT; AmountFCExclVat without it. One currency (EUR), so DC and FC agree. */
  AmountDC: number;
  AmountFCExclVat: number;
  AmountDiscount: number;
  lines: StoredLine[];
  receivedAt: number;
  modifiedAt: number;
}

/** Orders received per division, with sequential OrderNumbers and how often each YourRef was created. */
export class OrderStore {
  private readonly byDivision = new Map<number, StoredOrder[]>();
  private readonly byId = new Map<string, StoredOrder>();
  private readonly lastNumber = new Map<number, number>();
  private readonly posts = new Map<number, Map<string, number>>();

  nextNumber(division: number): number {
    const next = (this.lastNumber.get(division) ?? 0) + 1;
    this.lastNumber.set(division, next);
    return next;
  }

  add(order: StoredOrder): void {
    const list = this.byDivision.get(order.Division) ?? [];
    list.push(order);
    this.byDivision.set(order.Division, list);
    this.byId.set(order.OrderID, order);
    if (order.YourRef !== null) {
      const counts = this.posts.get(order.Division) ?? new Map<string, number>();
      counts.set(order.YourRef, (counts.get(order.YourRef) ?? 0) + 1);
      this.posts.set(order.Division, counts);
    }
  }

  get(division: number, orderId: string): StoredOrder | undefined {
    const order = this.byId.get(orderId);
    return order?.Division === division ? order : undefined;
  }

  list(division?: number): StoredOrder[] {
    if (division !== undefined) return [...(this.byDivision.get(division) ?? [])];
    return [...this.byDivision.values()].flat();
  }

  /** Drops the orders and lines a control mutation deleted from the division's sync tables. */
  forgetDeleted(division: number, events: readonly ChangeEvent[]): void {
    for (const event of events) {
      if (event.action !== 'Delete') continue;
      if (event.entity === 'orderHeaders') {
        this.byId.delete(event.record.ID);
        const list = this.byDivision.get(division) ?? [];
        this.byDivision.set(
          division,
          list.filter((o) => o.OrderID !== event.record.ID),
        );
      } else if (event.entity === 'orderLines') {
        const order = this.get(division, String((event.record as { OrderID?: unknown }).OrderID));
        if (order) order.lines = order.lines.filter((l) => l.ID !== event.record.ID);
      }
    }
  }

  postsByYourRef(division?: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [d, counts] of this.posts) {
      if (division !== undefined && d !== division) continue;
      for (const [ref, n] of counts) out[ref] = (out[ref] ?? 0) + n;
    }
    return out;
  }

  clear(): void {
    this.byDivision.clear();
    this.byId.clear();
    this.lastNumber.clear();
    this.posts.clear();
  }
}
