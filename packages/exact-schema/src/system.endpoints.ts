import type { EndpointSchema } from './edm.ts';
import { SOURCES } from './sources.ts';

/** `system/Divisions`: the divisions the user may reach; two dates there mean "resync everything". */
export const divisions = {
  kind: 'crud',
  path: 'system/Divisions',
  key: 'Code',
  fields: {
    Code: 'Edm.Int32',
    Description: 'Edm.String',
    Hid: 'Edm.Int64',
    IsMainDivision: 'Edm.Boolean',
    Current: 'Edm.Boolean',
    Status: 'Edm.Int32',
    Country: 'Edm.String',
    Currency: 'Edm.String',
    Customer: 'Edm.Guid',
    CustomerCode: 'Edm.String',
    CustomerName: 'Edm.String',
    AddressLine1: 'Edm.String',
    Postcode: 'Edm.String',
    City: 'Edm.String',
    State: 'Edm.String',
    Email: 'Edm.String',
    Phone: 'Edm.String',
    VATNumber: 'Edm.String',
    DivisionMoveDate: 'Edm.DateTime',
    DivisionHRLinkUnlinkDate: 'Edm.DateTime',
    Created: 'Edm.DateTime',
    Modified: 'Edm.DateTime',
  },
  filterable: ['Code'],
  postable: [],
  requiredOnPost: [],
  pageSize: 60,
  sources: SOURCES.divisions,
  fieldsChecked: 'two-sources',
  notes: [
    'DivisionMoveDate and DivisionHRLinkUnlinkDate: "Please resync all data when this value changes because value ' +
      'of Timestamp is regenerated." picqer has both on GetMostRecentlyUsedDivisions, which returns the same type.',
    'HID and Main belong to hrm/Divisions, not to system/Divisions (which has Hid and IsMainDivision).',
  ],
} as const satisfies EndpointSchema;

/** `current/Me`: the signed-in user; no division in the URL, so it is never counted. */
export const me = {
  kind: 'function',
  path: 'current/Me',
  key: 'UserID',
  fields: {
    UserID: 'Edm.Guid',
    CurrentDivision: 'Edm.Int32',
    DivisionCustomer: 'Edm.Guid',
    DivisionCustomerCode: 'Edm.String',
    DivisionCustomerName: 'Edm.String',
    UserName: 'Edm.String',
    FullName: 'Edm.String',
    FirstName: 'Edm.String',
    LastName: 'Edm.String',
    Email: 'Edm.String',
    Language: 'Edm.String',
    LanguageCode: 'Edm.String',
  },
  filterable: [],
  postable: [],
  requiredOnPost: [],
  pageSize: 1,
  sources: SOURCES.me,
  fieldsChecked: 'two-sources',
  notes: ['Legislation is an integer in picqer and a string in leapforce: left out.'],
} as const satisfies EndpointSchema;
