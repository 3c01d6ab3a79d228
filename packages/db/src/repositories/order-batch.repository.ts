import { getTableColumns, sql } from 'drizzle-orm';
import { alias, PgDialect } from 'drizzle-orm/pg-core';
import { type Executor, rawClient } from '../client.ts';
import { orders } from '../schema/orders.ts';
import { channelHasCallbackUrl, eventOf } from './order-events.ts';
import type { RejectionHold } from './order-limits.repository.ts';
import {
  findOrderByReference,
  type NewOrder,
  type OrderRow,
  type OrderWithLines,
} from './orders.repository.ts';

/** An order of a batch: placed by a storefront key, which must still be active when the batch is written. */
export interface BatchOrder extends NewOrder {
  apiKeyId: string;
}

/** What became of one order of a batch. */
export type Placement =
  | { outcome: 'created'; order: OrderWithLines }
  /** Its (connection, channel, reference, attempt) was there: the latest attempt at its reference. */
  | { outcome: 'existing'; order: OrderWithLines }
  /** Its key was revoked (or deleted) before the batch was written: nothing written. */
  | { outcome: 'revoked' }
  /** Its key is held by Exact's rejections (see `exactRejectionHold`) and its reference is new: nothing written. */
  | { outcome: 'held'; hold: RejectionHold };

const INPUT_COLUMNS = [
  ['connection_id', 'uuid'],
  ['channel', 'text'],
  ['reference', 'text'],
  ['attempt', 'int'],
  ['previous_attempt_id', 'uuid'],
  ['api_key_id', 'uuid'],
  ['your_ref', 'text'],
  ['payload_hash', 'text'],
  ['customer', 'jsonb'],
  ['currency', 'text'],
  ['order_date', 'date'],
  ['delivery_date', 'date'],
  ['note', 'text'],
  ['delivery_address_id', 'uuid'],
  ['contact_id', 'uuid'],
] as const;

/**
 * The statement that writes a batch: built once, sent prepared, the batch travelling as one JSON parameter. In one
 * statement (so atomic without BEGIN/COMMIT): the keys still active, the holds of those keys, the orders with
 * ON CONFLICT DO NOTHING, their lines and their `accepted` callback events; it answers a row per input order. A held
 * key's order is written only when its reference exists already, as `checkExactRejections` lets it through then.
 */
function batchStatement(): string {
  const dialect = new PgDialect();
  const o = alias(orders, 'o');
  const render = (fragment: ReturnType<typeof sql>) => {
    const query = dialect.sqlToQuery(fragment);
    if (query.params.length > 0) throw new Error('a batch fragment must not take parameters');
    return query.sql;
  };
  const event = render(eventOf(o, sql`null`));
  const hasCallbackUrl = render(channelHasCallbackUrl(o.channel));
  const connectionsTable = '"connections"';
  const names = INPUT_COLUMNS.map(([name]) => name);
  const window = 'make_interval(secs => $3::float8 / 1000)';
  const sameReference = (x: string, r: string) =>
    `${x}.connection_id = ${r}.connection_id and ${x}.channel = ${r}.channel and ${x}.reference = ${r}.reference`;
  const sameAttempt = (x: string, r: string) => `${sameReference(x, r)} and ${x}.attempt = ${r}.attempt`;
  return `with input as (
  select * from json_to_recordset($1::text::json) as r(i int, ${INPUT_COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')}, lines json)
), active as (
  select k.id from api_keys k where k.id in (select api_key_id from input) and k.revoked_at is null
), held as (
  select a.id as api_key_id, h.rejections, h.until, h.retry_after_seconds from active a cross join lateral (
    select (count(*) over ())::int as rejections, x.rejected_at + ${window} as until,
      greatest(1, ceil(extract(epoch from x.rejected_at + ${window} - now())))::int as retry_after_seconds
    from orders x
    where x.api_key_id = a.id and x.rejection->>'code' = 'exact_rejected' and x.rejected_at > now() - ${window}
    order by x.rejected_at desc offset $2 limit 1
  ) h
), known as (
  select r.i from input r where exists (select 1 from orders x where ${sameReference('x', 'r')})
), o as (
  insert into orders (${names.join(', ')})
  select ${names.map((n) => `r.${n}`).join(', ')} from input r
  where r.api_key_id in (select id from active)
    and (r.api_key_id not in (select api_key_id from held) or r.i in (select i from known))
  order by r.i
  on conflict do nothing
  returning *
), lines as (
  insert into order_lines (order_id, line_no, sku, quantity, unit_price, unit_code)
  select o.id, l.n, l.sku, l.quantity, l.unit_price, l.unit_code
  from o join input r on ${sameAttempt('o', 'r')}
  cross join lateral rows from (json_to_recordset(r.lines) as (sku text, quantity numeric, unit_price numeric, unit_code text))
    with ordinality as l(sku, quantity, unit_price, unit_code, n)
  returning *
), events as (
  insert into order_callbacks (order_id, status, payload)
  select o.id, o.status, ${event} from o join ${connectionsTable} on ${connectionsTable}.id = o.connection_id
  where ${hasCallbackUrl}
)
select r.i, r.api_key_id in (select id from active) as key_active,
  h.api_key_id is not null and r.i not in (select i from known) as key_held,
  h.rejections as hold_rejections, h.until as hold_until, h.retry_after_seconds as hold_retry_after_seconds,
  (select json_agg(json_build_object('orderId', l.order_id, 'lineNo', l.line_no, 'sku', l.sku,
      'quantity', l.quantity::text, 'unitPrice', l.unit_price::text, 'unitCode', l.unit_code,
      'exactItemId', l.exact_item_id) order by l.line_no)
    from lines l where l.order_id = o.id) as order_lines,
  o.*
from input r
left join held h on h.api_key_id = r.api_key_id
left join o on ${sameAttempt('o', 'r')}
order by r.i`;
}

let statement: string | undefined;

/** An order row as postgres.js returns it (the database's names and text values), as drizzle would map it. */
function orderOf(raw: Record<string, unknown>): OrderRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(orders))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as OrderRow;
}

/**
 * Places a batch of orders in one prepared statement (see `batchStatement`): each order is created, or finds the
 * latest attempt at its reference, or is refused for its key; the answers are in the order of `batch`. No two
 * orders of a batch may share connection, channel, reference and attempt: the caller puts the later ones in the
 * next batch. A statement error (a constraint of one order) fails the whole batch: nothing is written.
 */
export async function placeOrders(
  db: Executor,
  input: { batch: readonly BatchOrder[]; rejectionLimit: number; rejectionWindowMs: number },
): Promise<Placement[]> {
  statement ??= batchStatement();
  const payload = JSON.stringify(
    input.batch.map((order, i) => ({
      i,
      connection_id: order.connectionId,
      channel: order.channel,
      reference: order.reference,
      attempt: order.attempt ?? 1,
      previous_attempt_id: order.previousAttemptId ?? null,
      api_key_id: order.apiKeyId,
      your_ref: order.yourRef,
      payload_hash: order.payloadHash,
      customer: order.customer,
      currency: order.currency ?? null,
      order_date: order.orderDate ?? null,
      delivery_date: order.deliveryDate ?? null,
      note: order.note ?? null,
      delivery_address_id: order.deliveryAddressId ?? null,
      contact_id: order.contactId ?? null,
      lines: order.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        unit_price: l.unitPrice ?? null,
        unit_code: l.unitCode ?? null,
      })),
    })),
  );
  const rows = await rawClient(db).unsafe<Record<string, unknown>[]>(
    statement,
    [payload, Math.max(0, input.rejectionLimit - 1), input.rejectionWindowMs],
    { prepare: true },
  );
  return Promise.all(
    rows.map(async (row, i): Promise<Placement> => {
      const order = input.batch[i];
      if (!order || row.i !== i) throw new Error('the batch statement answered out of order');
      if (row.key_active !== true) return { outcome: 'revoked' };
      if (row.key_held === true) {
        return {
          outcome: 'held',
          hold: {
            rejections: Number(row.hold_rejections),
            until: orders.rejectedAt.mapFromDriverValue(row.hold_until as string) as Date,
            retryAfterSeconds: Number(row.hold_retry_after_seconds),
          },
        };
      }
      if (row.id !== null && row.id !== undefined) {
        const lines = (row.order_lines ?? []) as OrderWithLines['lines'];
        return { outcome: 'created', order: { ...orderOf(row), lines } };
      }
      const existing = await findOrderByReference(db, order.connectionId, order.channel, order.reference);
      if (!existing) throw new Error('order conflict without an existing order');
      return { outcome: 'existing', order: existing };
    }),
  );
}
