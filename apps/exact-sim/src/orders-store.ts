/** One sales order line as stored. */
export interface StoredLine {
  ID: string;
  LineNumber: number;
  Item: string;
  ItemCode: string;
  Description: string;
  Quantity: number;
  NetPrice: number;
  UnitPrice: number;
  AmountDC: number;
}

/** One sales order as stored (dates in epoch ms). */
export interface StoredOrder {
  OrderID: string;
  OrderNumber: number;
  Division: number;
  YourRef: string | null;
  OrderedBy: string;
  OrderedByName: string;
  Description: string | null;
  OrderDate: number;
  DeliveryDate: number | null;
  Status: number;
  AmountDC: number;
  lines: StoredLine[];
  receivedAt: number;
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
