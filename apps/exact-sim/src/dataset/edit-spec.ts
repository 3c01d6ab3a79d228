import type { EndpointPath } from '@exact-sync/exact-schema';
import type { Prng } from '../prng.ts';
import { MutationError } from './changes.ts';
import type { DivisionStore } from './division-store.ts';
import type { Keyed } from './types.ts';

/** A record as the generic control path handles it: an ID plus Exact's fields. */
export type Row = Keyed & Record<string, unknown>;

/** How the control API creates, checks, changes and deletes the records of one storefront entity. */
export interface EditSpec {
  /** The endpoint whose fields an upsert may set. */
  schemaPath: EndpointPath;
  /** A new record with generated values; `input` may name its parent (e.g. `Account`), else one is drawn. */
  make(store: DivisionStore, input: Record<string, unknown>, modified: string): Row;
  /** Fills the fields copied from references (names, codes) and checks the references; throws MutationError. */
  settle(store: DivisionStore, record: Row): Row;
  /** A random change of an existing record. */
  change(prng: Prng, record: Row, modified: string): Row;
  /** Why the record may not be deleted (Exact refuses to delete master data in use), or null. */
  inUse?(store: DivisionStore, record: Row): string | null;
}

export const asRow = (record: object): Row => record as Row;

/** The parent named by `given`, or (when nothing is given) one drawn from `all`. */
export function parent<T extends Keyed>(
  prng: Prng,
  given: unknown,
  lookup: (id: string) => T | undefined,
  all: () => Iterable<T>,
  what: string,
): T {
  if (typeof given === 'string') {
    const found = lookup(given);
    if (!found) throw new MutationError(what);
    return found;
  }
  const list = [...all()];
  if (list.length === 0) throw new MutationError(what);
  return prng.pick(list);
}

/** The first code `format(n)` (n = 1, 2, …) that no record has yet. */
export function freeCode(records: Iterable<{ Code: string }>, format: (n: number) => string): string {
  const taken = new Set([...records].map((r) => r.Code));
  let n = taken.size + 1;
  while (taken.has(format(n))) n++;
  return format(n);
}

/** Refuses a Code another record of the same entity already has. */
export function uniqueCode(records: Iterable<Keyed & { Code: string }>, record: Row): void {
  for (const other of records) {
    if (other.Code === record.Code && other.ID !== record.ID)
      throw new MutationError(`Code: '${String(record.Code)}' is taken`);
  }
}

/** `N item(s)` when records of a kind still refer to the one being deleted. */
export function countUsers(
  label: string,
  records: Iterable<object>,
  refers: (r: Row) => boolean,
): string | null {
  let n = 0;
  for (const record of records) if (refers(asRow(record))) n++;
  return n === 0 ? null : `in use by ${n} ${label}${n === 1 ? '' : 's'}`;
}

export function oneOf<T>(value: unknown, allowed: readonly T[], field: string): void {
  if (!allowed.includes(value as T))
    throw new MutationError(`${field}: must be one of ${allowed.join(', ')}`);
}
