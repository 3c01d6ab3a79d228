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
} from './odata.ts';

type Row = object;
const field = (row: Row, name: string): unknown => (row as Record<string, unknown>)[name];

/** How a CRUD endpoint reads its records. */
export interface CrudSource {
  /** Path under the division, e.g. `crm/Accounts`. */
  path: string;
  odataType: string;
  idField: string;
  fields: readonly string[];
  all(): Iterable<Row>;
  byId(id: string): Row | undefined;
  /** Targeted lookup for `Code eq '…'` (Accounts: padding trimmed). */
  byCode?(code: string): Row | undefined;
  /** Exact refuses unfiltered lists on some endpoints. */
  mandatoryFilter: boolean;
  /** Account codes compare without their padding. */
  trimCode?: boolean;
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

function accept(source: CrudSource, row: Row, terms: Comparison[]): boolean {
  for (const term of terms) {
    let value = field(row, term.field);
    let wanted = term;
    if (
      source.trimCode &&
      term.field === 'Code' &&
      typeof value === 'string' &&
      typeof term.value === 'string'
    ) {
      value = value.trim();
      wanted = { ...term, value: term.value.trim() };
    }
    if (!matches(value, wanted)) return false;
  }
  return true;
}

/** A CRUD collection GET: `$filter` (conjunctions), `$select`, `$top`, 60 per page with `$skiptoken=guid'…'`. */
export function listReply(req: ApiRequest, source: CrudSource, pageSize: number): Reply {
  const filterText = req.query.get('$filter');
  if (source.mandatoryFilter && (filterText === null || filterText.trim() === '')) {
    return exactError(400, MANDATORY_FILTER_MESSAGE);
  }
  const terms = filterText ? parseFilter(filterText) : [];
  for (const term of terms) {
    if (!source.fields.includes(term.field)) throw new ODataError(`Property '${term.field}' does not exist.`);
  }
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
    if (String(field(row, id)) > after && accept(source, row, terms)) rows.push(row);
  }
  rows.sort((a, b) => (String(field(a, id)) < String(field(b, id)) ? -1 : 1));
  const limit = Math.min(top ?? pageSize, pageSize);
  const base = divisionUrl(req, source.path);
  const page = rows.slice(0, limit);
  const results = page.map((row) =>
    project(row, select, `${base}(guid'${String(field(row, id))}')`, source.odataType),
  );
  const d: { results: unknown[]; __next?: string } = { results };
  const last = page[page.length - 1];
  if (top === null && rows.length > limit && last) {
    d.__next = `${base}?${withParam(req.query, '$skiptoken', `guid'${String(field(last, id))}'`)}`;
  }
  return { status: 200, raw: JSON.stringify({ d }) };
}

/** A GET of one record, `Entity(guid'…')`. */
export function singleReply(req: ApiRequest, source: CrudSource): Reply {
  const id = parseGuidKey(req.key ?? '');
  const row = source.byId(id);
  if (!row) return exactError(404, 'Record not found.');
  const select = parseSelect(req.query.get('$select'), source.fields, false) ?? source.fields;
  const uri = `${divisionUrl(req, source.path)}(guid'${id}')`;
  return { status: 200, body: { d: project(row, select, uri, source.odataType) } };
}
