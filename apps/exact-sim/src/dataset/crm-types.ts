import type { Audited, Stamped } from './record-base.ts';

export interface AddressRecord extends Stamped, Audited {
  Account: string;
  AccountName: string;
  Contact: string | null;
  ContactName: string | null;
  /** 1 visit, 2 postal, 3 invoice, 4 delivery. */
  Type: number;
  /** The account's main address of this type. */
  Main: boolean;
  AddressLine1: string;
  AddressLine2: string | null;
  Postcode: string;
  City: string;
  Country: string;
  CountryName: string;
  Phone: string | null;
  Mailbox: string | null;
}

export interface ContactRecord extends Stamped, Audited {
  Account: string;
  AccountName: string;
  AccountIsCustomer: boolean;
  IsMainContact: boolean;
  FirstName: string;
  MiddleName: string | null;
  LastName: string;
  FullName: string;
  Initials: string;
  JobTitleDescription: string | null;
  Email: string | null;
  BusinessEmail: string | null;
  Phone: string | null;
  BusinessPhone: string | null;
  Mobile: string | null;
  Postcode: string | null;
  City: string | null;
  Country: string | null;
  Language: string;
}
