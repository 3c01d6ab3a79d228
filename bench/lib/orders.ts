import { type Stack, storefrontKey } from '@exact-sync/testkit';

/** What a storefront of one connection needs to place B2B orders: its key, SKUs and a customer code. */
export interface Storefront {
  connectionId: string;
  key: string;
  skus: string[];
  customer: string;
}

export interface OrderView {
  id: string;
  reference: string;
  channel: string;
  status: string;
  statusReason: string | null;
  acceptedAt: string;
  submittedAt: string | null;
}

/** A B2B key of the connection, with SKUs and a customer of its division's dataset. */
export async function storefrontFor(
  stack: Stack,
  connectionId: string,
  division: number,
): Promise<Storefront> {
  const key = await storefrontKey(stack, connectionId, 'b2b');
  const items = await stack.simControl.dataset(division, 'items');
  const accounts = await stack.simControl.dataset(division, 'accounts');
  // Orders naming an item not for sale or a blocked customer are rejected before posting: pick neither.
  return {
    connectionId,
    key,
    skus: items
      .filter((i) => i.IsSalesItem === true)
      .slice(0, 5)
      .map((i) => String(i.Code)),
    customer: String(accounts.find((a) => a.Blocked === false)?.Code ?? '').trim(),
  };
}

/** The body of a small order (one line, or `lines`) with a given reference. */
export function orderBody(storefront: Storefront, reference: string, lines = 1): string {
  return JSON.stringify({
    reference,
    customer: { code: storefront.customer },
    lines: Array.from({ length: lines }, (_, i) => ({
      sku: storefront.skus[(reference.length + i) % storefront.skus.length] ?? storefront.skus[0],
      quantity: String(1 + ((reference.length + i) % 3)),
      unitPrice: '9.95',
    })),
  });
}

/** Places an order; answers its id (202 for a new one). */
export async function placeOrder(apiUrl: string, storefront: Storefront, reference: string): Promise<string> {
  const res = await fetch(`${apiUrl}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${storefront.key}`, 'content-type': 'application/json' },
    body: orderBody(storefront, reference),
  });
  const body = (await res.json()) as { id?: string };
  if (res.status !== 202 || body.id === undefined)
    throw new Error(`POST /v1/orders answered ${res.status}: ${JSON.stringify(body)}`);
  return body.id;
}

/** One order as the operator sees it now (the single-order route, which shows every change at once). */
async function orderNow(stack: Stack, id: string): Promise<OrderView> {
  const res = await stack.call('GET', `/v1/orders/${id}`);
  if (res.status !== 200) throw new Error(`GET /v1/orders/${id} answered ${res.status}`);
  return res.body as OrderView;
}

/** The given orders as they are now, a few requests at a time. */
async function ordersNow(stack: Stack, ids: readonly string[]): Promise<OrderView[]> {
  const out: OrderView[] = [];
  for (let i = 0; i < ids.length; i += 16) {
    out.push(...(await Promise.all(ids.slice(i, i + 16).map((id) => orderNow(stack, id)))));
  }
  return out;
}

const FINAL = new Set(['submitted', 'rejected']);

/**
 * Waits (bounded) until every given order reached a final state; answers accepted→submitted latencies in ms and
 * the count of each state at the end.
 */
export async function settleOrders(
  stack: Stack,
  ids: ReadonlySet<string>,
  timeoutMs: number,
): Promise<{ latencies: number[]; states: Record<string, number>; orders: OrderView[] }> {
  const deadline = Date.now() + timeoutMs;
  let mine: OrderView[] = [];
  for (;;) {
    mine = await ordersNow(stack, [...ids]);
    if (mine.every((o) => FINAL.has(o.status)) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const states: Record<string, number> = {};
  for (const o of mine) states[o.status] = (states[o.status] ?? 0) + 1;
  const latencies = mine.flatMap((o) =>
    o.submittedAt ? [Date.parse(o.submittedAt) - Date.parse(o.acceptedAt)] : [],
  );
  return { latencies, states, orders: mine };
}
