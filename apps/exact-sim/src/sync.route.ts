import type { SyncEndpointPath } from '@exact-sync/exact-schema';
import { type ApiHandler, type ApiRoute, divisionUrl, withParam } from './api-types.ts';
import { ENTITIES, ENTITY_NAMES } from './dataset/entities.ts';
import type { EntityTable } from './dataset/entity-table.ts';
import type { DeletedRecord, Stamped } from './dataset/types.ts';
import { exactError, type Reply } from './http.ts';
import { type Comparison, ODataError, parseFilter, parseSelect, project, requireFields } from './odata.ts';
import { fieldsOf, wireFormat } from './wire.ts';

interface SyncFilter {
  after: number;
  entityType: number | null;
}

/**
 * Timestamp is the only filter Exact allows on sync endpoints (plus EntityType on sync/Deleted); a property the
 * endpoint lacks is refused as such first.
 */
function syncFilter(text: string | null, deleted: boolean, fields: readonly string[]): SyncFilter {
  const filter: SyncFilter = { after: 0, entityType: null };
  if (text === null || text.trim() === '') return filter;
  const terms = parseFilter(text);
  requireFields(
    terms.map((t) => t.field),
    fields,
  );
  const allowed = (t: Comparison): boolean =>
    (t.field === 'Timestamp' && t.op === 'gt' && t.kind === 'number') ||
    (deleted && t.field === 'EntityType' && t.op === 'eq' && t.kind === 'number');
  for (const term of terms) {
    if (!allowed(term)) {
      throw new ODataError(
        `Only 'Timestamp gt <value>'${deleted ? " and 'EntityType eq <value>'" : ''} filters are allowed on this sync endpoint.`,
      );
    }
    if (term.field === 'Timestamp') filter.after = Math.max(filter.after, Number(term.value));
    else filter.entityType = Number(term.value);
  }
  return filter;
}

/** `$skiptoken` carries the last Timestamp served, so a record updated mid-run comes back later in the run. */
function skipToken(text: string | null): number {
  if (text === null) return 0;
  const match = /^(\d{1,16})L?$/.exec(text.trim());
  if (!match) throw new ODataError('The $skiptoken is not valid.');
  return Number(match[1]);
}

function syncHandler<T extends Stamped>(
  path: string,
  schemaPath: SyncEndpointPath,
  odataType: string,
  table: (req: Parameters<ApiHandler>[1]) => EntityTable<T>,
  deleted: boolean,
): ApiHandler {
  const fields = fieldsOf(schemaPath);
  return (state, req): Reply => {
    const select = parseSelect(req.query.get('$select'), fields, true);
    if (!select)
      return exactError(
        400,
        'Please add a $select statement to the query string. $select is mandatory on sync endpoints.',
      );
    const filter = syncFilter(req.query.get('$filter'), deleted, fields);
    const after = Math.max(filter.after, skipToken(req.query.get('$skiptoken')));
    const accept =
      filter.entityType === null
        ? undefined
        : (r: T) => (r as unknown as DeletedRecord).EntityType === filter.entityType;
    const { records, more } = table(req).page(after, state.config.syncPageSize, accept);
    const base = divisionUrl(req, `sync/${path}`);
    const wire = wireFormat(schemaPath, state.config);
    const results = records.map((r) => project(r, select, `${base}(${r.Timestamp}L)`, odataType, wire));
    const last = records[records.length - 1];
    const d: { results: unknown[]; __next?: string } = { results };
    if (more && last) d.__next = `${base}?${withParam(req.query, '$skiptoken', `${last.Timestamp}L`)}`;
    return { status: 200, raw: JSON.stringify({ d }) };
  };
}

/** `sync/{Service}/{Entity}` for each stored entity, and `sync/Deleted`. */
export const syncRoutes: ApiRoute[] = [
  ...ENTITY_NAMES.map((entity): ApiRoute => {
    const meta = ENTITIES[entity];
    return {
      name: `sync/${meta.syncPath}`,
      scope: 'sync',
      handlers: {
        GET: syncHandler(
          meta.syncPath,
          meta.schemaPath,
          meta.odataType,
          (req) => req.store.tables[entity] as EntityTable<Stamped>,
          false,
        ),
      },
    };
  }),
  {
    name: 'sync/Deleted',
    scope: 'sync',
    handlers: {
      GET: syncHandler(
        'Deleted',
        'sync/Deleted',
        'Exact.Web.Api.Models.Sync.Deleted',
        (req) => req.store.deleted,
        true,
      ),
    },
  },
];
