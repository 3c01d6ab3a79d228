import type { EndpointContext } from './endpoint-context.ts';
import type { CallOptions } from './exact-call.ts';
import { guidLiteral, queryString, stringLiteral, unwrapResults } from './odata.ts';
import type { Lane } from './rate-governor.ts';

// The plain logistics/Items and crm/Accounts endpoints have no Timestamp (only their sync versions do).
/** Default fields of a targeted item lookup. */
const ITEM_LOOKUP_FIELDS = ['ID', 'Code', 'Description', 'Unit', 'IsSalesItem'] as const;
/** Default fields of a targeted account lookup. */
const ACCOUNT_LOOKUP_FIELDS = ['ID', 'Code', 'Name', 'Email', 'Status', 'Blocked'] as const;

/** Exact stores account codes right-aligned in 18 characters; an equality filter must use that form. */
const ACCOUNT_CODE_WIDTH = 18;

function trimCode(record: Record<string, unknown> | null): Record<string, unknown> | null {
  if (record && typeof record.Code === 'string') record.Code = record.Code.trim();
  return record;
}

/** Options of a targeted lookup: fields (defaults above), lane (default `order`) and how long it may wait. */
export interface LookupArgs {
  select?: readonly string[];
  lane?: Lane;
  options?: CallOptions;
}

/**
 * Targeted lookups for the order lane (a code missing from the synced tables). Always a `$filter` query: no match is
 * an empty 200, where a GET of `Entity(guid'…')` would be a 404 that counts toward Exact's error block.
 */
export function lookupEndpoints(ctx: EndpointContext) {
  async function firstWhere(
    path: string,
    filter: string,
    select: readonly string[],
    args: LookupArgs,
  ): Promise<Record<string, unknown> | null> {
    const query = queryString({
      $filter: filter,
      $select: select.join(','),
      $top: '1',
    });
    const url = ctx.divisionUrl(path, query);
    const body = await ctx.call({
      method: 'GET',
      url,
      endpoint: path,
      governed: true,
      lane: args.lane ?? 'order',
      options: args.options,
    });
    return unwrapResults(body).records[0] ?? null;
  }

  return {
    /** The item with this code (a targeted lookup for the order lane), or null. */
    itemByCode(code: string, args: LookupArgs = {}) {
      const filter = `Code eq ${stringLiteral(code.trim())}`;
      return firstWhere('logistics/Items', filter, args.select ?? ITEM_LOOKUP_FIELDS, args);
    },

    /** The account with this code, or null. The code is matched in Exact's padded form; `Code` comes back trimmed. */
    async accountByCode(code: string, args: LookupArgs = {}) {
      const padded = code.trim().padStart(ACCOUNT_CODE_WIDTH, ' ');
      const filter = `Code eq ${stringLiteral(padded)}`;
      return trimCode(await firstWhere('crm/Accounts', filter, args.select ?? ACCOUNT_LOOKUP_FIELDS, args));
    },

    /** The account with this ID, or null (a filter, never `Accounts(guid'…')`). Throws a TypeError on a non-GUID. */
    async accountById(id: string, args: LookupArgs = {}) {
      const filter = `ID eq ${guidLiteral(id)}`;
      return trimCode(await firstWhere('crm/Accounts', filter, args.select ?? ACCOUNT_LOOKUP_FIELDS, args));
    },
  };
}
