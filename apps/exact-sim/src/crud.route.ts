import type { ApiRequest, ApiRoute } from './api-types.ts';
import { type CrudSource, listReply, singleReply } from './crud-query.ts';
import type { RefEntityName } from './dataset/catalogue-types.ts';
import { ENTITIES, REF_ENTITIES, REF_ENTITY_NAMES } from './dataset/entities.ts';
import type { EntityName } from './dataset/types.ts';
import { fieldsOf } from './wire.ts';

const PATHS = { items: 'logistics/Items', accounts: 'crm/Accounts' } as const;

function source(req: ApiRequest, entity: 'items' | 'accounts'): CrudSource {
  const table = req.store.tables[entity as EntityName];
  const codes = entity === 'items' ? req.store.itemCodes : req.store.accountCodes;
  return {
    path: PATHS[entity],
    odataType: ENTITIES[entity].odataType,
    idField: 'ID',
    // The plain endpoints have no Timestamp: that row version lives on the sync endpoints only.
    schemaPath: PATHS[entity],
    fields: fieldsOf(PATHS[entity]),
    all: () => table.values(),
    byId: (id) => table.get(id),
    // Codes match as stored: an account code only in its padded 18-character form, as on Exact.
    byCode: (code) => {
      const id = codes.get(code.toLowerCase());
      return id === undefined ? undefined : table.get(id);
    },
    mandatoryFilter: true,
  };
}

function route(entity: 'items' | 'accounts'): ApiRoute {
  return {
    name: PATHS[entity],
    scope: 'other',
    handlers: {
      GET: (state, req) =>
        req.key === null
          ? listReply(state, req, source(req, entity))
          : singleReply(state, req, source(req, entity)),
    },
  };
}

/**
 * Price lists, periods and volume discounts, VAT codes and percentages, item groups, units and warehouses. Neither
 * Exact's documentation as the sources quote it nor EXACT_API.md says they have mandatory filtering (it is known on
 * crm/Accounts and logistics/Items), so unfiltered lists are served.
 */
function refSource(req: ApiRequest, entity: RefEntityName): CrudSource {
  const table = req.store.refs[entity];
  const { path, odataType } = REF_ENTITIES[entity];
  return {
    path,
    odataType,
    idField: 'ID',
    schemaPath: path,
    fields: fieldsOf(path),
    all: () => table.values(),
    byId: (id) => table.get(id),
    mandatoryFilter: false,
  };
}

function refRoute(entity: RefEntityName): ApiRoute {
  return {
    name: REF_ENTITIES[entity].path,
    scope: 'other',
    handlers: {
      GET: (state, req) =>
        req.key === null
          ? listReply(state, req, refSource(req, entity))
          : singleReply(state, req, refSource(req, entity)),
    },
  };
}

/** Plain CRUD reads (mandatory filtering applies to items and accounts, as on Exact). */
export const crudRoutes: ApiRoute[] = [route('items'), route('accounts'), ...REF_ENTITY_NAMES.map(refRoute)];
