import { type ApiRoute, divisionUrl } from './api-types.ts';
import { exactError, type Reply } from './http.ts';
import { edmDate, ODataError, parseSelect, project } from './odata.ts';
import type { SimState } from './state.ts';
import type { AccessGrant } from './tokens.ts';

const DIVISION_FIELDS = [
  'Code',
  'Description',
  'HID',
  'Country',
  'Currency',
  'Current',
  'Main',
  'Status',
  'DivisionMoveDate',
] as const;

/** `system/Divisions`: the divisions of the license, with `DivisionMoveDate` set once a division moved. */
export const divisionRoutes: ApiRoute[] = [
  {
    name: 'system/Divisions',
    scope: 'other',
    handlers: {
      GET: (state, req) => {
        const select = parseSelect(req.query.get('$select'), DIVISION_FIELDS, false) ?? DIVISION_FIELDS;
        const base = divisionUrl(req, 'system/Divisions');
        const results = [...state.divisions.values()].map((store, i) =>
          project(
            {
              Code: store.division,
              Description: store.description,
              HID: store.division,
              Country: 'NL',
              Currency: 'EUR',
              Current: store.division === req.division,
              Main: i === 0,
              Status: 1,
              DivisionMoveDate: store.moveDate === null ? null : edmDate(store.moveDate),
            },
            select,
            `${base}(${store.division})`,
            'Exact.Web.Api.Models.System.Division',
          ),
        );
        return { status: 200, body: { d: { results } } };
      },
    },
  },
];

const ME_FIELDS = [
  'CurrentDivision',
  'UserID',
  'UserName',
  'FullName',
  'Email',
  'LanguageCode',
  'DivisionCustomer',
];

/** `current/Me` (no division in the URL: never counted, no rate-limit headers). */
export function meReply(
  state: SimState,
  grant: AccessGrant,
  baseUrl: string,
  selectText: string | null,
): Reply {
  try {
    const select = parseSelect(selectText, ME_FIELDS, false) ?? ME_FIELDS;
    const store = state.divisions.get(grant.division) ?? [...state.divisions.values()][0];
    const userId = store?.userId ?? '00000000-0000-4000-8000-000000000000';
    const me = {
      CurrentDivision: grant.division,
      UserID: userId,
      UserName: 'sim.user',
      FullName: 'Simulated User',
      Email: 'sim.user@example.com',
      LanguageCode: 'en-GB',
      DivisionCustomer: userId,
    };
    const uri = `${baseUrl}/api/v1/current/Me(guid'${userId}')`;
    return { status: 200, body: { d: { results: [project(me, select, uri, 'Exact.Web.Api.System.Me')] } } };
  } catch (error) {
    if (error instanceof ODataError) return exactError(400, error.message);
    throw error;
  }
}
