import type { OrderProblem, OrderRejectionDetail } from '@exact-sync/core';
import {
  belongsToAccount,
  type Database,
  type LookupRef,
  type OrderWithLines,
  type SyncedAccount,
  type SyncedItem,
  syncedAccount,
  syncedItemsByCode,
} from '@exact-sync/db';
import type { ExactClient } from '@exact-sync/exact';
import { type LookupOutcome, lookUpCodes } from './order-lookups.ts';

/** The order as Exact takes it: the customer's and every line's Exact GUID. */
export interface ResolvedOrder {
  accountId: string;
  /** Exact item ID per line, in line order. */
  itemIds: string[];
  /** Exact unit code per line: the storefront's, else the synced item's unit; null when neither is known. */
  unitCodes: (string | null)[];
}

export type Resolution = { ok: true; order: ResolvedOrder } | { ok: false; rejection: OrderRejectionDetail };

export interface ResolvePolicy {
  /** The b2c channel's default account, which consumer orders are booked on. */
  b2cAccountCode: string | undefined;
  /** Lookups in Exact one storefront key's orders may cause in an hour. */
  lookupsPerKeyPerHour: number;
}

/** The customer an order names: how to find it, and how to speak of it. */
interface CustomerRef {
  by: { code: string } | { exactId: string };
  lookup: LookupRef;
  field: string;
  label: string;
}

/** A code's Exact record (synced, or from a lookup), or why there is none. */
type Known<T> = { record: T } | { record: null; overLimit: boolean };

function fromLookup(outcome: LookupOutcome | undefined): Known<SyncedItem & SyncedAccount> {
  if (outcome?.status === 'found') return { record: outcome };
  return { record: null, overLimit: outcome?.status === 'over_limit' };
}

function customerOf(order: OrderWithLines, b2cAccountCode: string | undefined): CustomerRef | undefined {
  const customer = order.customer;
  if ('exactId' in customer) {
    const id = customer.exactId.toLowerCase();
    const lookup: LookupRef = { kind: 'account_id', code: id };
    return { by: { exactId: id }, lookup, field: 'customer.exactId', label: `customer ${id}` };
  }
  const code = ('code' in customer ? customer.code : b2cAccountCode)?.trim();
  if (!code) return undefined;
  const named = 'code' in customer;
  return {
    by: { code },
    lookup: { kind: 'account_code', code },
    field: named ? 'customer.code' : 'customer',
    label: named ? `customer code ${code}` : `the b2c channel's default account ${code}`,
  };
}

function unknown(what: string, known: { overLimit: boolean }, allowance: number): string {
  if (!known.overLimit) return `unknown ${what}`;
  return `unknown ${what}: it is not in the synced data, and this API key's ${allowance} lookups in Exact an hour are used up`;
}

/**
 * Every problem of the order, the customer's first, then each line's in line order (a SKU named on two lines is a
 * problem on both): what the storefront needs to correct it in one go.
 */
function problemsOf(
  customer: { ref: CustomerRef; known: Known<SyncedAccount> } | undefined,
  lines: readonly { sku: string; known: Known<SyncedItem> }[],
  allowance: number,
): OrderProblem[] {
  const problems: OrderProblem[] = [];
  if (!customer) {
    const message = 'the b2c channel has no default account to book consumer orders on';
    problems.push({ code: 'channel_not_configured', field: 'customer', message });
  } else if (customer.known.record === null) {
    const message = unknown(customer.ref.label, customer.known, allowance);
    problems.push({ code: 'unknown_customer', field: customer.ref.field, message });
  } else if (customer.known.record.blocked) {
    const message = `${customer.ref.label} is blocked in Exact`;
    problems.push({ code: 'blocked_customer', field: customer.ref.field, message });
  }
  for (const [i, { sku, known }] of lines.entries()) {
    const field = `lines.${i}.sku`;
    if (known.record === null) {
      problems.push({ code: 'unknown_sku', field, message: unknown(`SKU ${sku}`, known, allowance) });
    } else if (!known.record.isSalesItem) {
      problems.push({ code: 'not_a_sales_item', field, message: `SKU ${sku} is not a sales item in Exact` });
    }
  }
  return problems;
}

/**
 * A b2b order's delivery address and contact must be the customer's own, as synced (`sync/CRM/Addresses`,
 * `sync/CRM/Contacts`): Exact refuses another account's, and an order is never posted to hear it.
 */
async function linkProblems(db: Database, order: OrderWithLines, accountId: string): Promise<OrderProblem[]> {
  const problems: OrderProblem[] = [];
  const check = async (kind: 'address' | 'contact', id: string | null, field: string) => {
    if (id === null || (await belongsToAccount(db, order.connectionId, accountId, { kind, id }))) return;
    problems.push({
      code: kind === 'address' ? 'unknown_address' : 'unknown_contact',
      field,
      message: `${field} ${id} is not one of the customer's ${kind === 'address' ? 'addresses' : 'contacts'}`,
    });
  };
  await check('address', order.deliveryAddressId, 'deliveryAddressExactId');
  await check('contact', order.contactId, 'contactExactId');
  return problems;
}

/**
 * Maps the storefront's customer and SKUs to Exact GUIDs and checks them before any post. What the synced data has
 * (live rows) is used as is; the rest is looked up in Exact, at most once per code an hour (`lookUpCodes`).
 * Unknown codes, a blocked customer and items that are not sales items reject the order with every problem listed,
 * so that no storefront input reaches Exact but what only Exact can judge.
 */
export async function resolveOrder(
  deps: { db: Database; pool: Database; exact: ExactClient },
  order: OrderWithLines,
  policy: ResolvePolicy,
): Promise<Resolution> {
  const { db } = deps;
  const customer = customerOf(order, policy.b2cAccountCode);
  const skus = [...new Set(order.lines.map((l) => l.sku))];
  const syncedItems = await syncedItemsByCode(db, order.connectionId, skus);
  const syncedCustomer = customer && (await syncedAccount(db, order.connectionId, customer.by));

  const refs: LookupRef[] = skus
    .filter((sku) => !syncedItems.has(sku))
    .map((code): LookupRef => ({ kind: 'item_code', code }));
  if (customer && !syncedCustomer) refs.push(customer.lookup);
  const outcomes = await lookUpCodes(deps, {
    connectionId: order.connectionId,
    apiKeyId: order.apiKeyId,
    perKeyLimit: policy.lookupsPerKeyPerHour,
    refs,
  });
  const looked = new Map(refs.map((ref, i) => [`${ref.kind}:${ref.code}`, outcomes[i]]));
  const itemOf = (sku: string): Known<SyncedItem> => {
    const record = syncedItems.get(sku);
    return record ? { record } : fromLookup(looked.get(`item_code:${sku}`));
  };
  const account: Known<SyncedAccount> | undefined =
    customer &&
    (syncedCustomer
      ? { record: syncedCustomer }
      : fromLookup(looked.get(`${customer.lookup.kind}:${customer.lookup.code}`)));

  const lines = order.lines.map((line) => ({ sku: line.sku, known: itemOf(line.sku) }));
  const problems = [
    ...problemsOf(
      customer && account && { ref: customer, known: account },
      lines,
      policy.lookupsPerKeyPerHour,
    ),
    ...(account?.record ? await linkProblems(db, order, account.record.exactId) : []),
  ];
  const [first] = problems;
  if (first || !account?.record) {
    return { ok: false, rejection: { code: first?.code ?? 'unknown_customer', problems } };
  }
  const itemIds = lines.map((line) => line.known.record?.exactId ?? '');
  const unitCodes = order.lines.map((line, i) => line.unitCode ?? lines[i]?.known.record?.unit ?? null);
  return { ok: true, order: { accountId: account.record.exactId, itemIds, unitCodes } };
}
