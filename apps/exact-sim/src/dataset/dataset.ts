import type { SimConfig } from '../config.ts';
import type { DivisionStore } from './division-store.ts';
import { generateDivision } from './generate.ts';

/** Every division's data, generated from the seed. */
export function generateDataset(config: SimConfig): Map<number, DivisionStore> {
  const divisions = new Map<number, DivisionStore>();
  for (const division of config.divisions) {
    divisions.set(
      division,
      generateDivision({
        seed: config.seed,
        division,
        items: config.items,
        accounts: config.accounts,
        addressesPerAccount: config.addressesPerAccount,
        contactsPerAccount: config.contactsPerAccount,
        priceLists: config.priceLists,
      }),
    );
  }
  return divisions;
}
