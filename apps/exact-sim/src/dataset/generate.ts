import { deriveSeed, Prng } from '../prng.ts';
import { DivisionStore } from './division-store.ts';
import { catalogueIndex, enrichItem, makeCatalogue, makeUnitPrice, makeWarehouse } from './make-catalogue.ts';
import { enrichAccount, makeAddress, makeContact } from './make-crm.ts';
import { makePriceLists } from './make-price-lists.ts';
import { makeAccount, makeItem, makePrice, makeStock, pastDate } from './records.ts';
import type { AccountRecord, ItemRecord, PriceRecord, Warehouse } from './types.ts';
import { WAREHOUSES } from './words.ts';

/** Generated data starts high, so Timestamps after a division move (from 2) are visibly lower than before. */
const FIRST_TIMESTAMP = 1_000_001;

export interface GenerateOptions {
  seed: number;
  division: number;
  items: number;
  accounts: number;
  addressesPerAccount: number;
  contactsPerAccount: number;
  priceLists: number;
}

/**
 * Builds one division's dataset; the same options always give the same records, IDs and Timestamps. Items,
 * accounts, stock and prices come first from the division's main stream, as they always have; the storefront data
 * (groups, units, VAT, price lists, extra item and account fields, addresses, contacts) from a second stream and
 * after them, so adding it left the older data and its Timestamps as they were.
 */
export function generateDivision(options: GenerateOptions): DivisionStore {
  const prng = new Prng(deriveSeed(options.seed, options.division));
  const warehouseIds = WAREHOUSES.map(() => prng.guid());
  const mutations = new Prng(deriveSeed(options.seed, options.division ^ 0x5eed5eed));
  const extra = new Prng(deriveSeed(options.seed, options.division ^ 0x570fe0));
  const store = new DivisionStore(
    options.division,
    `Demo company ${options.division}`,
    prng.guid(),
    mutations,
    FIRST_TIMESTAMP,
  );
  const warehouses = WAREHOUSES.map((w, i) =>
    store.putRef('warehouses', makeWarehouse(warehouseIds[i] ?? '', w, options.division, i === 0)),
  );
  makeCatalogue(store, extra);
  const accounts: AccountRecord[] = [];
  for (let n = 1; n <= options.accounts; n++) {
    accounts.push(store.insert('accounts', makeAccount(prng, n, pastDate(prng))));
  }
  store.accountSeq = options.accounts;
  const priced: Array<{ item: ItemRecord; base: PriceRecord }> = [];
  const accountIds = accounts.map((a) => a.ID);
  for (let n = 1; n <= options.items; n++) {
    const item = store.insert('items', makeItem(prng, n, pastDate(prng)));
    const base = addChildren(store, prng, item, accountIds, warehouses);
    if (base) priced.push({ item, base });
  }
  store.itemSeq = options.items;

  const index = catalogueIndex(store);
  for (const item of store.tables.items.values()) enrichItem(extra, item, index);
  for (const { item, base } of priced) {
    const unitPrice = makeUnitPrice(extra, item, base);
    if (unitPrice) store.insert('prices', unitPrice);
  }
  const sales = priced.map(({ item, base }) => ({ item, base: base.Price }));
  makePriceLists(store, extra, options.priceLists, sales);
  const lists = [...store.refs.priceLists.values()].map((l) => l.ID);
  const made = { division: options.division, modified: '' };
  for (const account of accounts) {
    enrichAccount(extra, account, lists);
    made.modified = account.Modified;
    for (let n = 0; n < options.addressesPerAccount; n++) {
      store.insert('addresses', makeAddress(extra, account, n, made));
    }
    for (let n = 0; n < options.contactsPerAccount; n++) {
      const contact = store.insert('contacts', makeContact(extra, account, n === 0, made));
      if (n === 0) account.MainContact = contact.ID;
    }
  }
  return store;
}

/**
 * Stock in some warehouses (not every item everywhere) and a price list: base, quantity break, customer price.
 * Answers the item's general price in its own unit, if it has one.
 */
function addChildren(
  store: DivisionStore,
  prng: Prng,
  item: ItemRecord,
  accountIds: readonly string[],
  warehouses: readonly Warehouse[],
): PriceRecord | null {
  const modified = item.Modified;
  WAREHOUSES.forEach((w, i) => {
    const warehouse = warehouses[i];
    if (warehouse && prng.chance(w.share)) store.insert('stock', makeStock(prng, item, warehouse, modified));
  });
  if (!item.IsSalesItem) return null;
  const factor = prng.amount(1.4, 2.5);
  const base = store.insert(
    'prices',
    makePrice(prng, item, { account: null, quantity: 0, factor, modified }),
  );
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
  return base;
}
