import { MutationError } from './changes.ts';
import type { DivisionStore } from './division-store.ts';
import { asRow, type EditSpec, oneOf, parent, type Row } from './edit-spec.ts';
import { makeAddress, makeContact } from './make-crm.ts';
import type { AccountRecord } from './types.ts';
import { COUNTRY_NAMES, JOB_TITLES, STREETS } from './words-storefront.ts';

function account(store: DivisionStore, given: unknown): AccountRecord {
  return parent(
    store.prng,
    given,
    (id) => store.get('accounts', id),
    () => store.tables.accounts.values(),
    'Account: no such account in this division',
  );
}

export const addressSpec: EditSpec = {
  schemaPath: 'sync/CRM/Addresses',
  make: (store, input, modified) => {
    const owner = account(store, input.Account);
    const n = store.links.children('addresses', 'Account', owner.ID).length;
    return asRow(makeAddress(store.prng, owner, n, { division: store.division, modified }));
  },
  settle: (store, record) => {
    const owner = store.get('accounts', String(record.Account));
    if (!owner) throw new MutationError('Account: no such account in this division');
    oneOf(record.Type, [1, 2, 3, 4], 'Type');
    const country = String(record.Country ?? '');
    return {
      ...record,
      AccountName: owner.Name,
      CountryName: COUNTRY_NAMES[country] ?? country,
      Division: store.division,
    };
  },
  change: (prng, record, modified) => ({
    ...record,
    AddressLine1: `${prng.pick(STREETS)} ${prng.int(1, 250)}`,
    Modified: modified,
  }),
};

function fullName(record: Row): string {
  return [record.FirstName, record.MiddleName, record.LastName]
    .filter((p) => typeof p === 'string' && p)
    .join(' ');
}

export const contactSpec: EditSpec = {
  schemaPath: 'sync/CRM/Contacts',
  make: (store, input, modified) => {
    const owner = account(store, input.Account);
    const main = store.links.children('contacts', 'Account', owner.ID).length === 0;
    return asRow(makeContact(store.prng, owner, main, { division: store.division, modified }));
  },
  settle: (store, record) => {
    const owner = store.get('accounts', String(record.Account));
    if (!owner) throw new MutationError('Account: no such account in this division');
    return { ...record, AccountName: owner.Name, FullName: fullName(record), Division: store.division };
  },
  change: (prng, record, modified) => ({
    ...record,
    JobTitleDescription: prng.pick(JOB_TITLES),
    Mobile: `+31 6 ${prng.int(10_000_000, 99_999_999)}`,
    Modified: modified,
  }),
};
