import { type ApiRequest, type ApiRoute, divisionUrl, withParam } from './api-types.ts';
import type { DivisionStore } from './dataset/division-store.ts';
import { exactError, type Reply } from './http.ts';
import { edmDate, matches, ODataError, parseFilter, parseSelect, project, requireFields } from './odata.ts';
import type { SimState } from './state.ts';
import type { AccessGrant } from './tokens.ts';
import { fieldsOf, wireFormat } from './wire.ts';

const DIVISIONS = 'system/Divisions';
const DIVISION_FIELDS = fieldsOf(DIVISIONS);
const DIVISION_TYPE = 'Exact.Web.Api.Models.System.Division';

/** One division in Exact's field names (those the simulator does not model come back null). */
function divisionRecord(store: DivisionStore, index: number, current: number): Record<string, unknown> {
  return {
    Code: store.division,
    Description: store.description,
    Hid: store.division,
    IsMainDivision: index === 0,
    Current: store.division === current,
    Status: 1,
    Country: 'NL',
    Currency: 'EUR',
    DivisionMoveDate: store.moveDate === null ? null : edmDate(store.moveDate),
    DivisionHRLinkUnlinkDate: store.hrLinkDate === null ? null : edmDate(store.hrLinkDate),
  };
}

/** `system/Divisions`: `$filter` (e.g. `Code eq 123`), `$select`, 60 per page with `$skiptoken=<Code>`. */
function listDivisions(state: SimState, req: ApiRequest): Reply {
  const select = parseSelect(req.query.get('$select'), DIVISION_FIELDS, false) ?? DIVISION_FIELDS;
  const filterText = req.query.get('$filter');
  const terms = filterText ? parseFilter(filterText) : [];
  requireFields(
    terms.map((t) => t.field),
    DIVISION_FIELDS,
  );
  const token = req.query.get('$skiptoken');
  const after = token === null ? 0 : Number(token);
  if (!Number.isSafeInteger(after)) throw new ODataError('The $skiptoken is not valid.');
  const rows = [...state.divisions.values()]
    .map((store, i) => divisionRecord(store, i, req.division))
    .filter((r) => Number(r.Code) > after && terms.every((t) => matches(r[t.field] ?? null, t)))
    .sort((a, b) => Number(a.Code) - Number(b.Code));
  const page = rows.slice(0, state.config.crudPageSize);
  const base = divisionUrl(req, DIVISIONS);
  const wire = wireFormat(DIVISIONS, state.config);
  const results = page.map((r) => project(r, select, `${base}(${String(r.Code)})`, DIVISION_TYPE, wire));
  const d: { results: unknown[]; __next?: string } = { results };
  const last = page[page.length - 1];
  if (rows.length > page.length && last)
    d.__next = `${base}?${withParam(req.query, '$skiptoken', String(last.Code))}`;
  return { status: 200, raw: JSON.stringify({ d }) };
}

/** `system/Divisions`: the divisions of the license, with the move and HR (un)link dates once they happened. */
export const divisionRoutes: ApiRoute[] = [
  { name: DIVISIONS, scope: 'other', handlers: { GET: listDivisions } },
];

const ME_FIELDS = fieldsOf('current/Me');

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
      FirstName: 'Simulated',
      LastName: 'User',
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
