import type { EndpointPath } from '@exact-sync/exact-schema';
import { type ApiRequest, divisionUrl, withParam } from './api-types.ts';
import { exactError, type Reply } from './http.ts';
import {
  type Comparison,
  matches,
  ODataError,
  parseFilter,
  parseGuidKey,
  parseSelect,
  project,
  requireFields,
} from './odata.ts';
import type { SimState } from './state.ts';
import { wireFormat } from './wire.ts';

type Row = object;
const field = (row: Row, name: string): unknown => (row as Record<string, unknown>)[name];

/** How a CRUD endpoint reads its records. */
export interface CrudSource {
  /** Path under the division, e.g. `crm/Accounts`. */
  path: string;
  /** The endpoint in the schema (field types for the wire format). */
  schemaPath: EndpointPath;
  odataType: string;
  idField: string;
  fields: readonly string[];
  all(): Iterable<Row>;
  byId(id: string): Row | undefined;
  /** Targeted lookup for `Code eq '…'`, exactly as stored (an account code with its padding). */
  byCode?(code: string): Row | undefined;
  /** Exact refuses unfiltered lists on some endpoints. */
  mandatoryFilter: boolean;
}

const MANDATORY_FILTER_MESSAGE =
  'This endpoint has mandatory filtering applied. Please use a $filter (for example on ID or Code), or the sync API to read the whole dataset.';

function candidates(source: CrudSource, terms: Comparison[]): Iterable<Row> {
  const [only] = terms;
  if (terms.length === 1 && only?.op === 'eq') {
    if (only.field === source.idField && only.kind === 'guid') {
      const row = source.byId(String(only.value));
      return row ? [row] : [];
    }
    if (only.field === 'Code' && only.kind === 'string' && source.byCode) {
      const row = source.byCode(String(only.value));
      return row ? [row] : [];
    }
  }
  return source.all();
}

function accept(row: Row, terms: Comparison[]): boolean {
  return terms.every((term) => matches(field(row, term.field), term));
}

/** A CRUD collection GET: `$filter` (conjunctions), `$select`, `$top`, 60 per page with `$skiptoken=guid'…'`. */
export function listReply(state: SimState, req: ApiRequest, source: CrudSource): Reply {
  const pageSize = state.config.crudPageSize;
  const filterText = req.query.get('$filter');
  if (source.mandatoryFilter && (filterText === null || filterText.trim() === '')) {
    return exactError(400, MANDATORY_FILTER_MESSAGE);
  }
  const terms = filterText ? parseFilter(filterText) : [];
  requireFields(
    terms.map((t) => t.field),
    source.fields,
  );
  const select = parseSelect(req.query.get('$select'), source.fields, false) ?? source.fields;
  const token = req.query.get('$skiptoken');
  const after = token === null ? '' : parseGuidKey(token);
  const topText = req.query.get('$top');
  const top = topText === null ? null : Number(topText);
  if (top !== null && (!Number.isInteger(top) || top < 0))
    throw new ODataError('The $top value is not valid.');
  const id = source.idField;
  const rows: Row[] = [];
  for (const row of candidates(source, terms)) {
    if (String(field(row, id)) > after && accept(row, terms)) rows.push(row);
  }
  rows.sort((a, b) => (String(field(a, id)) < String(field(b, id)) ? -1 : 1));
  const limit = Math.min(top ?? pageSize, pageSize);
  const base = divisionUrl(req, source.path);
  const page = rows.slice(0, limit);
  const wire = wireFormat(source.schemaPath, state.config);
  const results = page.map((row) =>
    project(row, select, `${base}(guid'${String(field(row, id))}')`, source.odataType, wire),
  );
  const d: { results: unknown[]; __next?: string } = { results };
  const last = page[page.length - 1];
  if (top === null && rows.length > limit && last) {
    d.__next = `${base}?${withParam(req.query, '$skiptoken', `guid'${String(field(last, id))}'`)}`;
  }
  return { status: 200, raw: JSON.stringify({ d }) };
}

/** A GET of one record, `Entity(guid'…')`. */
export function singleReply(state: SimState, req: ApiRequest, source: CrudSource): Reply {
  const id = parseGuidKey(req.key ?? '');
  const row = source.byId(id);
  if (!row) return exactError(404, 'Record not found.');
  const select = parseSelect(req.query.get('$select'), source.fields, false) ?? source.fields;
  const uri = `${divisionUrl(req, source.path)}(guid'${id}')`;
  const wire = wireFormat(source.schemaPath, state.config);
  return { status: 200, body: { d: project(row, select, uri, source.odataType, wire) } };
}
