import type { ApiRequest, ApiRoute } from './api-types.ts';
import { type CrudSource, listReply, singleReply } from './crud-query.ts';
import { ENTITIES } from './dataset/entities.ts';
import type { EntityName } from './dataset/types.ts';

const PATHS = { items: 'logistics/Items', accounts: 'crm/Accounts' } as const;

function source(req: ApiRequest, entity: 'items' | 'accounts'): CrudSource {
  const table = req.store.tables[entity as EntityName];
  const codes = entity === 'items' ? req.store.itemCodes : req.store.accountCodes;
  return {
    path: PATHS[entity],
    odataType: ENTITIES[entity].odataType,
    idField: 'ID',
    // The plain endpoints have no Timestamp: that row version lives on the sync endpoints only.
    fields: ENTITIES[entity].fields.filter((f) => f !== 'Timestamp'),
    all: () => table.values(),
    byId: (id) => table.get(id),
    byCode: (code) => {
      const id = codes.get(code.trim().toLowerCase());
      return id === undefined ? undefined : table.get(id);
    },
    mandatoryFilter: true,
    trimCode: entity === 'accounts',
  };
}

function route(entity: 'items' | 'accounts'): ApiRoute {
  return {
    name: PATHS[entity],
    scope: 'other',
    handlers: {
      GET: (state, req) =>
        req.key === null
          ? listReply(req, source(req, entity), state.config.crudPageSize)
          : singleReply(req, source(req, entity)),
    },
  };
}

/** Plain CRUD reads (mandatory filtering applies, as on Exact). */
export const crudRoutes: ApiRoute[] = [route('items'), route('accounts')];
