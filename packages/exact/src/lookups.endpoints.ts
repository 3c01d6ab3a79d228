import type { SelectableField } from '@exact-sync/exact-schema';
import { ACCOUNT_LOOKUP_FIELDS, ITEM_LOOKUP_FIELDS } from './client-fields.ts';
import type { EndpointContext } from './endpoint-context.ts';
import type { CallOptions } from './exact-call.ts';
import { guidLiteral, queryString, stringLiteral, unwrapResults } from './odata.ts';
import type { Lane } from './rate-governor.ts';

/** Exact stores account codes right-aligned in 18 characters; an equality filter must use that form. */
const ACCOUNT_CODE_WIDTH = 18;

type LookupPath = 'logistics/Items' | 'crm/Accounts';

/** Options of a targeted lookup: fields (checked against the endpoint), lane (default `order`), how long it waits. */
export interface LookupArgs<P extends LookupPath> {
  select?: readonly SelectableField<P>[];
  lane?: Lane;
  options?: CallOptions;
}

function trimCode(record: Record<string, unknown> | null): Record<string, unknown> | null {
  if (record && typeof record.Code === 'string') record.Code = record.Code.trim();
  return record;
}

/**
 * Targeted lookups for the order lane (a code missing from the synced tables). Always a `$filter` query: no match is
 * an empty 200, where a GET of `Entity(guid'…')` would be a 404 that counts toward Exact's error block.
 */
export function lookupEndpoints(ctx: EndpointContext) {
  async function firstWhere<P extends LookupPath>(
    path: P,
    filter: string,
    select: readonly SelectableField<P>[],
    args: LookupArgs<P>,
  ): Promise<Record<string, unknown> | null> {
    const query = queryString({ $filter: filter, $select: select.join(','), $top: '1' });
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
    itemByCode(code: string, args: LookupArgs<'logistics/Items'> = {}) {
      const filter = `Code eq ${stringLiteral(code.trim())}`;
      return firstWhere('logistics/Items', filter, args.select ?? ITEM_LOOKUP_FIELDS, args);
    },

    /** The account with this code, or null. The code is matched in Exact's padded form; `Code` comes back trimmed. */
    async accountByCode(code: string, args: LookupArgs<'crm/Accounts'> = {}) {
      const filter = `Code eq ${stringLiteral(code.trim().padStart(ACCOUNT_CODE_WIDTH, ' '))}`;
      return trimCode(await firstWhere('crm/Accounts', filter, args.select ?? ACCOUNT_LOOKUP_FIELDS, args));
    },

    /** The account with this ID, or null (a filter, never `Accounts(guid'…')`). Throws a TypeError on a non-GUID. */
    async accountById(id: string, args: LookupArgs<'crm/Accounts'> = {}) {
      const filter = `ID eq ${guidLiteral(id)}`;
      return trimCode(await firstWhere('crm/Accounts', filter, args.select ?? ACCOUNT_LOOKUP_FIELDS, args));
    },
  };
}
