import { deriveSeed, Prng } from '../prng.ts';
import { DivisionStore } from './division-store.ts';
import { makeAccount, makeItem, makePrice, makeStock, pastDate } from './records.ts';
import type { ItemRecord, Warehouse } from './types.ts';
import { WAREHOUSES } from './words.ts';

/** Generated data starts high, so Timestamps after a division move (from 2) are visibly lower than before. */
const FIRST_TIMESTAMP = 1_000_001;

export interface GenerateOptions {
  seed: number;
  division: number;
  items: number;
  accounts: number;
}

/** Builds one division's dataset; the same options always give the same records, IDs and Timestamps. */
export function generateDivision(options: GenerateOptions): DivisionStore {
  const prng = new Prng(deriveSeed(options.seed, options.division));
  const warehouses: Warehouse[] = WAREHOUSES.map((w) => ({
    ID: prng.guid(),
    Code: w.Code,
    Description: w.Description,
  }));
  const mutations = new Prng(deriveSeed(options.seed, options.division ^ 0x5eed5eed));
  const store = new DivisionStore(
    options.division,
    `Demo company ${options.division}`,
    warehouses,
    prng.guid(),
    mutations,
    FIRST_TIMESTAMP,
  );
  const accountIds: string[] = [];
  for (let n = 1; n <= options.accounts; n++) {
    accountIds.push(store.insert('accounts', makeAccount(prng, n, pastDate(prng))).ID);
  }
  store.accountSeq = options.accounts;
  for (let n = 1; n <= options.items; n++) {
    const item = store.insert('items', makeItem(prng, n, pastDate(prng)));
    addChildren(store, prng, item, accountIds);
  }
  store.itemSeq = options.items;
  return store;
}

/** Stock in some warehouses (not every item everywhere) and a price list: base, quantity break, customer price. */
function addChildren(
  store: DivisionStore,
  prng: Prng,
  item: ItemRecord,
  accountIds: readonly string[],
): void {
  const modified = item.Modified;
  WAREHOUSES.forEach((w, i) => {
    const warehouse = store.warehouses[i];
    if (warehouse && prng.chance(w.share)) store.insert('stock', makeStock(prng, item, warehouse, modified));
  });
  if (!item.IsSalesItem) return;
  const factor = prng.amount(1.4, 2.5);
  store.insert('prices', makePrice(prng, item, { account: null, quantity: 0, factor, modified }));
  if (prng.chance(0.15)) {
    store.insert(
      'prices',
      makePrice(prng, item, { account: null, quantity: 10, factor: factor * 0.9, modified }),
    );
  }
  if (accountIds.length > 0 && prng.chance(0.05)) {
    const account = prng.pick(accountIds);
    store.insert('prices', makePrice(prng, item, { account, quantity: 0, factor: factor * 0.85, modified }));
  }
}
