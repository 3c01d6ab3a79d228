import type { Prng } from '../prng.ts';
import type { AddressRecord, ContactRecord } from './crm-types.ts';
import type { AccountRecord } from './types.ts';
import { CITIES } from './words.ts';
import {
  COUNTRY_NAMES,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  MIDDLE_NAMES,
  STREETS,
} from './words-storefront.ts';

const LETTERS = 'ABCDEFGHJKLMNPRSTVWXZ';
const DIAL: Record<string, string> = { NL: '+31', BE: '+32', DE: '+49' };

function postcode(prng: Prng, country: string): string {
  if (country === 'NL') return `${prng.int(1000, 9999)} ${prng.pick([...LETTERS])}${prng.pick([...LETTERS])}`;
  return String(country === 'DE' ? prng.int(10000, 99999) : prng.int(1000, 9999));
}

const phone = (prng: Prng, country: string): string =>
  `${DIAL[country] ?? '+31'} ${prng.int(10, 79)} ${prng.int(100, 999)} ${prng.int(1000, 9999)}`;

function vatNumber(prng: Prng, country: string): string {
  const digits = String(prng.int(100_000_000, 999_999_999));
  if (country === 'NL') return `NL${digits}B01`;
  return country === 'BE' ? `BE0${digits}` : `${country}${digits}`;
}

/**
 * The account's storefront fields: visit address, phone, price list, default discount, VAT treatment (intra-EU
 * customers get code 3, 0 %), VAT number, payment condition and language. Changes `account` itself.
 */
export function enrichAccount(
  prng: Prng,
  account: AccountRecord,
  priceLists: readonly string[],
): AccountRecord {
  const country = account.Country;
  const language = country === 'DE' ? 'DE' : country === 'BE' ? prng.pick(['NL', 'FR']) : 'NL';
  return Object.assign(account, {
    AddressLine1: `${prng.pick(STREETS)} ${prng.int(1, 250)}`,
    Postcode: postcode(prng, country),
    Phone: phone(prng, country),
    PriceList: priceLists.length > 0 && prng.chance(0.45) ? prng.pick(priceLists) : null,
    DiscountSales: prng.chance(0.2) ? prng.pick([0.02, 0.03, 0.05, 0.075, 0.1]) : null,
    SalesVATCode: country === 'NL' ? null : '3',
    VATNumber: prng.chance(0.85) ? vatNumber(prng, country) : null,
    PaymentConditionSales: prng.pick(['30', '30', '30', '14', '14', '60', '00']),
    Language: language,
  });
}

/** Address types (Exact's numbering). */
const ADDRESS_TYPE = { visit: 1, postal: 2, invoice: 3, delivery: 4 } as const;

interface Made {
  division: number;
  modified: string;
}

/**
 * The n-th address of an account (0-based): first the visit address (the account's own), then the invoice
 * address, then delivery addresses. The first of each type is its Main.
 */
export function makeAddress(prng: Prng, account: AccountRecord, n: number, made: Made): AddressRecord {
  const type = n === 0 ? ADDRESS_TYPE.visit : n === 1 ? ADDRESS_TYPE.invoice : ADDRESS_TYPE.delivery;
  const place =
    n >= 2 && prng.chance(0.3) ? prng.pick(CITIES) : { city: account.City, country: account.Country };
  const country = place.country;
  const own = n === 0 || (n === 1 && prng.chance(0.5));
  return {
    ID: prng.guid(),
    Account: account.ID,
    AccountName: account.Name,
    Contact: null,
    ContactName: null,
    Type: type,
    Main: n <= 2,
    AddressLine1: own
      ? (account.AddressLine1 ?? `${prng.pick(STREETS)} 1`)
      : n === 1
        ? `Postbus ${prng.int(100, 9999)}`
        : `${prng.pick(STREETS)} ${prng.int(1, 250)}`,
    AddressLine2: n >= 2 && prng.chance(0.3) ? `Dock ${prng.int(1, 12)}` : null,
    Postcode: own ? (account.Postcode ?? postcode(prng, country)) : postcode(prng, country),
    City: place.city ?? '',
    Country: country,
    CountryName: COUNTRY_NAMES[country] ?? country,
    Phone: n >= 2 && prng.chance(0.5) ? phone(prng, country) : null,
    Mailbox: null,
    Created: made.modified,
    Modified: made.modified,
    Division: made.division,
    Timestamp: 0,
  };
}

/** A contact person of the account; the first is its main contact. */
export function makeContact(prng: Prng, account: AccountRecord, main: boolean, made: Made): ContactRecord {
  const first = prng.pick(FIRST_NAMES);
  const middle = prng.chance(0.3) ? prng.pick(MIDDLE_NAMES) : null;
  const last = prng.pick(LAST_NAMES);
  const domain = account.Email?.split('@')[1] ?? `${account.Code.trim()}.example`;
  const email = `${first}.${last}`.toLowerCase();
  return {
    ID: prng.guid(),
    Account: account.ID,
    AccountName: account.Name,
    AccountIsCustomer: true,
    IsMainContact: main,
    FirstName: first,
    MiddleName: middle,
    LastName: last,
    FullName: [first, middle, last].filter(Boolean).join(' '),
    Initials: `${first[0] ?? ''}.`,
    JobTitleDescription: prng.pick(JOB_TITLES),
    Email: `${email}@${domain}`,
    BusinessEmail: `${email}@${domain}`,
    Phone: account.Phone,
    BusinessPhone: account.Phone,
    Mobile: prng.chance(0.7) ? `+31 6 ${prng.int(10_000_000, 99_999_999)}` : null,
    Postcode: account.Postcode,
    City: account.City,
    Country: account.Country,
    Language: account.Language ?? 'NL',
    Created: made.modified,
    Modified: made.modified,
    Division: made.division,
    Timestamp: 0,
  };
}
