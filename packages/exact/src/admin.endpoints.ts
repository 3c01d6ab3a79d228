import type { Postable } from '@exact-sync/exact-schema';
import { DIVISION_FIELDS, WEBHOOK_FIELDS } from './client-fields.ts';
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
  /** When the division was linked to or unlinked from Exact Online HR: Timestamps are regenerated, as after a move. */
  hrLinkUnlinkDate: Date | null;
}

/** A webhook subscription of the division. */
export interface WebhookSubscription {
  id: string;
  callbackUrl: string;
  topic: string;
}

type WebhookBody = Postable<'webhooks/WebhookSubscriptions', { CallbackURL: string; Topic: string }>;

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
    /** One division from `system/Divisions` (filtered on its Code, not the first page of 60), or null. */
    async divisionInfo(
      code: number,
      lane: Lane = 'order',
      options?: CallOptions,
    ): Promise<DivisionInfo | null> {
      if (!Number.isSafeInteger(code)) throw new TypeError('invalid division code');
      const query = queryString({ $filter: `Code eq ${code}`, $select: DIVISION_FIELDS.join(',') });
      const [record] = await get('system/Divisions', query, lane, options);
      if (!record) return null;
      if (typeof record.Code !== 'number') throw new UnexpectedBodyError('division without Code');
      return {
        code: record.Code,
        description: typeof record.Description === 'string' ? record.Description : '',
        divisionMoveDate: parseOptionalExactDate(record.DivisionMoveDate),
        hrLinkUnlinkDate: parseOptionalExactDate(record.DivisionHRLinkUnlinkDate),
      };
    },

    /** The division's webhook subscriptions. */
    webhookSubscriptions: {
      async list(lane: Lane = 'order', options?: CallOptions): Promise<WebhookSubscription[]> {
        const query = queryString({ $select: WEBHOOK_FIELDS.join(',') });
        return (await get(WEBHOOKS, query, lane, options)).map(subscription);
      },

      /** Subscribes `callbackUrl` to `topic` (Accounts, Items, StockPositions, SalesOrders, …). */
      async create(
        input: { callbackUrl: string; topic: string },
        lane: Lane = 'order',
        options?: CallOptions,
      ): Promise<WebhookSubscription> {
        const body: WebhookBody = { CallbackURL: input.callbackUrl, Topic: input.topic };
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
