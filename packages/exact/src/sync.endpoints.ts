import { DELETED_FIELDS } from './client-fields.ts';
import { type EndpointContext, endpointOf } from './endpoint-context.ts';
import type { CallOptions } from './exact-call.ts';
import { queryString, type ResultPage, timestampLiteral, unwrapResults } from './odata.ts';
import type { Lane } from './rate-governor.ts';

/** A path below `/sync/`, e.g. `Logistics/Items`, `Inventory/StockPositions`, `CRM/Accounts`. */
export type SyncEntityPath = string;

/** Where a sync page starts: the first page of a run filters on the stored Timestamp, later ones follow `__next`. */
export interface SyncPageArgs {
  /** Highest Timestamp stored (exclusive); absent or 0 starts at 1, as Exact requires. */
  timestamp?: bigint | string;
  /** The `__next` link of the previous page; when given, `timestamp` and `select` are already inside it. */
  next?: string;
  /** Fields to fetch (`$select=*` is refused by Exact). */
  select: readonly string[];
}

export interface DeletedPageArgs {
  timestamp?: bigint | string;
  next?: string;
  /** Only deletions of this EntityType (9 items, 2 accounts, …); all types when absent. */
  entityType?: number;
}

const ENTITY_PATH = /^[A-Za-z]+\/[A-Za-z]+$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

function selectList(select: readonly string[]): string {
  if (select.length === 0) throw new TypeError('a sync call needs at least one $select field');
  for (const field of select) {
    if (!FIELD.test(field)) throw new TypeError(`invalid $select field ${JSON.stringify(field)}`);
  }
  return select.join(',');
}

/** The sync API: pages of an entity and of `sync/Deleted`. */
export function syncEndpoints(ctx: EndpointContext) {
  async function page(url: string, lane: Lane, options?: CallOptions): Promise<ResultPage> {
    const body = await ctx.call({
      method: 'GET',
      url,
      endpoint: endpointOf(url),
      governed: true,
      lane,
      options,
    });
    return unwrapResults(body);
  }

  return {
    /** One page of a sync endpoint: up to 1,000 records and the `__next` link (null on the last page). */
    async syncPage(entity: SyncEntityPath, args: SyncPageArgs, lane: Lane = 'sync', options?: CallOptions) {
      if (!ENTITY_PATH.test(entity)) throw new TypeError(`invalid sync entity ${JSON.stringify(entity)}`);
      if (args.next !== undefined) return page(ctx.nextUrl(args.next), lane, options);
      const query = queryString({
        $filter: `Timestamp gt ${timestampLiteral(args.timestamp)}`,
        $select: selectList(args.select),
      });
      return page(ctx.divisionUrl(`sync/${entity}`, query), lane, options);
    },

    /**
     * One page (60 records) of a plain REST list that has no sync version (`sales/SalesPriceLists`,
     * `vat/VATCodes`, …), read whole with `$select` and followed by `__next`. The worker re-reads such lists in
     * full on a plan, so a record missing from a complete read is gone.
     */
    async listPage(path: string, args: { next?: string; select: readonly string[] }, lane: Lane = 'sync') {
      if (!ENTITY_PATH.test(path)) throw new TypeError(`invalid list path ${JSON.stringify(path)}`);
      if (args.next !== undefined) return page(ctx.nextUrl(args.next), lane);
      return page(ctx.divisionUrl(path, queryString({ $select: selectList(args.select) })), lane);
    },

    /** One page of `sync/Deleted` (all entity types unless `entityType` is given). */
    async deletedPage(args: DeletedPageArgs, lane: Lane = 'sync', options?: CallOptions) {
      if (args.next !== undefined) return page(ctx.nextUrl(args.next), lane, options);
      if (args.entityType !== undefined && !Number.isSafeInteger(args.entityType)) {
        throw new TypeError('invalid EntityType');
      }
      const type = args.entityType === undefined ? '' : ` and EntityType eq ${args.entityType}`;
      const query = queryString({
        $filter: `Timestamp gt ${timestampLiteral(args.timestamp)}${type}`,
        $select: selectList(DELETED_FIELDS),
      });
      return page(ctx.divisionUrl('sync/Deleted', query), lane, options);
    },
  };
}
