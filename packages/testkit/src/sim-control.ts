/** The simulator's entity names in its control API (sync entities, then the plain REST ones). */
export type SimEntity =
  | 'items'
  | 'stock'
  | 'prices'
  | 'accounts'
  | 'addresses'
  | 'contacts'
  | 'orderHeaders'
  | 'orderLines'
  | 'deliveries'
  | 'deliveryLines'
  | 'invoices'
  | 'priceLists'
  | 'priceListPeriods'
  | 'volumeDiscounts'
  | 'vatCodes'
  | 'vatPercentages'
  | 'itemGroups'
  | 'units'
  | 'warehouses';
/** A record as the control API lists it (the REST entities, price lists to warehouses, carry no Timestamp). */
export type SimRecord = Record<string, unknown> & { ID: string; Timestamp: number };

/** Part of an order line to deliver or invoice: by line ID, or the first open line of an item. */
export type SimOrderLineStep = { lineId: string; quantity: number } | { item: string; quantity: number };

/** The order after a deliver, invoice or cancel step. */
export interface SimOrderState {
  OrderID: string;
  OrderNumber: number;
  Status: number;
  DeliveryStatus: number;
  InvoiceStatus: number;
  AmountDC: number;
  lines: Array<{
    ID: string;
    Item: string;
    Quantity: number;
    QuantityDelivered: number;
    QuantityInvoiced: number;
  }>;
}

export interface SimCallStat {
  clientId: string;
  division: number;
  endpoint: string;
  method: string;
  status: number;
  count: number;
}

/** A typed handle on the simulator's `/_sim` control API, for tests and benchmarks. */
export function simControl(baseUrl: string) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${baseUrl}/_sim${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    /** An access token without the browser flow. */
    token: (division?: number) =>
      call<{ access_token: string; refresh_token: string }>('POST', '/tokens', { division }),
    dataset: async (division: number, entity: SimEntity) =>
      (await call<{ data: SimRecord[] }>('GET', `/divisions/${division}/entities/${entity}`)).data,
    mutate: (division: number, body: Record<string, unknown>) =>
      call<{ created: string[]; updated: string[]; deleted: string[] }>(
        'POST',
        `/divisions/${division}/mutate`,
        body,
      ),
    moveDivision: (division: number) => call<unknown>('POST', `/divisions/${division}/move`),
    /** A goods delivery of the order's lines (all that is open when `lines` is left out). */
    deliverOrder: (division: number, orderId: string, lines?: SimOrderLineStep[]) =>
      call<{ order: SimOrderState; delivery: Record<string, unknown> }>(
        'POST',
        `/divisions/${division}/orders/${orderId}/deliver`,
        lines ? { lines } : {},
      ),
    /** A sales invoice of the order's lines (what is delivered and not yet invoiced when `lines` is left out). */
    invoiceOrder: (division: number, orderId: string, lines?: SimOrderLineStep[]) =>
      call<{ order: SimOrderState; invoice: { InvoiceID: string; records: Record<string, unknown>[] } }>(
        'POST',
        `/divisions/${division}/orders/${orderId}/invoice`,
        lines ? { lines } : {},
      ),
    cancelOrder: (division: number, orderId: string) =>
      call<{ order: SimOrderState }>('POST', `/divisions/${division}/orders/${orderId}/cancel`, {}),
    /** Links the division to (or unlinks it from) Exact Online HR: DivisionHRLinkUnlinkDate changes. */
    relinkDivisionHr: (division: number) => call<unknown>('POST', `/divisions/${division}/hr-link`),
    stats: (division?: number) =>
      call<
        {
          calls: SimCallStat[];
          total: number;
          rateLimited: number;
          dayWindows: { clientId: string; division: number; end: number; limit: number; used: number }[];
        } & Record<string, unknown>
      >('GET', division === undefined ? '/stats' : `/stats?division=${division}`),
    resetStats: () => call<unknown>('DELETE', '/stats'),
    orders: (division?: number) =>
      call<{ data: Record<string, unknown>[]; postsByYourRef: Record<string, number> }>(
        'GET',
        division === undefined ? '/orders' : `/orders?division=${division}`,
      ),
    faults: (faults: Record<string, unknown>) => call<unknown>('PUT', '/faults', faults),
    config: (patch: Record<string, unknown>) => call<Record<string, unknown>>('PATCH', '/config', patch),
    /** Removes a field from an endpoint (`sync/Logistics/Items`, …): a `$select` naming it gets Exact's 400. */
    dropField: (endpoint: string, field: string) =>
      call<{ endpoint: string; dropped: string[] }>('POST', '/schema/drop', { endpoint, field }),
    /** Puts dropped fields back: one, an endpoint's, or all. */
    restoreFields: (body: { endpoint?: string; field?: string } = {}) =>
      call<Record<string, string[]>>('POST', '/schema/restore', body),
    /** Logs `count` deletions of entity types nobody stores here (or of `entityType`) in `sync/Deleted`. */
    foreignDeletions: (division: number, count: number, entityType?: number) =>
      call<{ added: number; lastTimestamp: number }>('POST', `/divisions/${division}/foreign-deletions`, {
        count,
        ...(entityType === undefined ? {} : { entityType }),
      }),
    advance: (ms: number) => call<{ now: number }>('POST', '/clock/advance', { ms }),
    now: async () => (await call<{ now: number }>('GET', '/clock')).now,
  };
}
export type SimControl = ReturnType<typeof simControl>;
