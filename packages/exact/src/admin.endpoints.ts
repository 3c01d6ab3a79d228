import type { EndpointContext } from './endpoint-context.ts';
import { UnexpectedBodyError } from './errors.ts';
import type { CallOptions } from './exact-call.ts';
import { guidLiteral, parseOptionalExactDate, queryString, unwrapRecord, unwrapResults } from './odata.ts';
import type { Lane } from './rate-governor.ts';

/** A division the user can reach, from `system/Divisions`. */
export interface DivisionInfo {
  code: number;
  description: string;
  /** When the division moved to another database: every sync Timestamp restarts, so a full resync is due. */
  divisionMoveDate: Date | null;
}

/** A webhook subscription of the division. */
export interface WebhookSubscription {
  id: string;
  callbackUrl: string;
  topic: string;
}

function subscription(record: Record<string, unknown>): WebhookSubscription {
  const { ID, CallbackURL, Topic } = record;
  if (typeof ID !== 'string' || typeof CallbackURL !== 'string' || typeof Topic !== 'string') {
    throw new UnexpectedBodyError('webhook subscription without ID, CallbackURL or Topic');
  }
  return { id: ID, callbackUrl: CallbackURL, topic: Topic };
}

const WEBHOOKS = 'webhooks/WebhookSubscriptions';

/** `system/Divisions` and webhook subscriptions. */
export function adminEndpoints(ctx: EndpointContext) {
  const get = async (path: string, query: string, lane: Lane, options?: CallOptions) =>
    unwrapResults(
      await ctx.call({
        method: 'GET',
        url: ctx.divisionUrl(path, query),
        endpoint: path,
        governed: true,
        lane,
        options,
      }),
    ).records;

  return {
    /** `system/Divisions`: the divisions of the connection's user (first page, up to 60). */
    async divisions(lane: Lane = 'order', options?: CallOptions): Promise<DivisionInfo[]> {
      const query = queryString({ $select: 'Code,Description,DivisionMoveDate' });
      const records = await get('system/Divisions', query, lane, options);
      return records.map((r) => {
        if (typeof r.Code !== 'number') throw new UnexpectedBodyError('division without Code');
        return {
          code: r.Code,
          description: typeof r.Description === 'string' ? r.Description : '',
          divisionMoveDate: parseOptionalExactDate(r.DivisionMoveDate),
        };
      });
    },

    /** The division's webhook subscriptions. */
    webhookSubscriptions: {
      async list(lane: Lane = 'order', options?: CallOptions): Promise<WebhookSubscription[]> {
        const records = await get(WEBHOOKS, queryString({ $select: 'ID,CallbackURL,Topic' }), lane, options);
        return records.map(subscription);
      },

      /** Subscribes `callbackUrl` to `topic` (Accounts, Items, StockPositions, SalesOrders, …). */
      async create(
        input: { callbackUrl: string; topic: string },
        lane: Lane = 'order',
        options?: CallOptions,
      ): Promise<WebhookSubscription> {
        const body = { CallbackURL: input.callbackUrl, Topic: input.topic };
        const url = ctx.divisionUrl(WEBHOOKS);
        const answer = await ctx.call({
          method: 'POST',
          url,
          endpoint: WEBHOOKS,
          body,
          governed: true,
          lane,
          options,
        });
        return subscription(unwrapRecord(answer));
      },

      async delete(id: string, lane: Lane = 'order', options?: CallOptions): Promise<void> {
        const url = ctx.divisionUrl(`${WEBHOOKS}(${guidLiteral(id)})`);
        await ctx.call({ method: 'DELETE', url, endpoint: WEBHOOKS, governed: true, lane, options });
      },
    },
  };
}
