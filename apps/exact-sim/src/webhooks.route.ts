import { type ApiRequest, type ApiRoute, divisionUrl } from './api-types.ts';
import { exactError, parseJson, type Reply } from './http.ts';
import { edmDate, matches, parseFilter, parseGuidKey, parseSelect, project, requireFields } from './odata.ts';
import type { SimState } from './state.ts';
import { type Subscription, TOPICS } from './webhooks.ts';
import { fieldsOf, wireFormat } from './wire.ts';

const TYPE = 'Exact.Web.Api.Models.Webhooks.WebhookSubscription';
const PATH = 'webhooks/WebhookSubscriptions';
const FIELDS = fieldsOf(PATH);

/** One subscription in Exact's shape, limited to `$select` when the request has one. */
function toApi(state: SimState, req: ApiRequest, sub: Subscription): Record<string, unknown> {
  const select = parseSelect(req.query.get('$select'), FIELDS, false) ?? FIELDS;
  const record = {
    ID: sub.ID,
    CallbackURL: sub.CallbackURL,
    Topic: sub.Topic,
    ClientID: sub.ClientID,
    Division: sub.Division,
    Creator: sub.UserID,
    Created: edmDate(sub.Created),
    Description: sub.Description,
  };
  const uri = `${divisionUrl(req, PATH)}(guid'${sub.ID}')`;
  return project(record, select, uri, TYPE, wireFormat(PATH, state.config));
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

async function create(state: SimState, req: ApiRequest): Promise<Reply> {
  const body = parseJson(req.body);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return exactError(400, 'Error reading the request body: a JSON object is expected.');
  }
  requireFields(Object.keys(body), FIELDS);
  const {
    CallbackURL: callback,
    Topic: topicInput,
    Description: description,
  } = body as Record<string, unknown>;
  if (typeof callback !== 'string' || !isHttpUrl(callback))
    return exactError(400, 'CallbackURL: mandatory, an http(s) URL.');
  const topic = TOPICS.find(
    (t) => typeof topicInput === 'string' && t.toLowerCase() === topicInput.toLowerCase(),
  );
  if (!topic) return exactError(400, `Topic: unknown topic. Known topics: ${TOPICS.join(', ')}.`);
  const duplicate = state.webhooks
    .list({ clientId: req.clientId, division: req.division })
    .some((s) => s.Topic === topic && s.CallbackURL === callback);
  if (duplicate) return exactError(400, 'A subscription for this topic and callback URL already exists.');
  const sub = await state.webhooks.subscribe({
    CallbackURL: callback,
    Topic: topic,
    ClientID: req.clientId,
    Division: req.division,
    UserID: req.store.userId,
    Description: typeof description === 'string' ? description.slice(0, 255) : null,
  });
  return { status: 201, body: { d: toApi(state, req, sub) } };
}

function owned(state: SimState, req: ApiRequest): Subscription | undefined {
  const sub = state.webhooks.get(parseGuidKey(req.key ?? ''));
  return sub && sub.ClientID === req.clientId && sub.Division === req.division ? sub : undefined;
}

/** `webhooks/WebhookSubscriptions`: a client sees and manages only its own subscriptions in the division. */
export const webhookRoutes: ApiRoute[] = [
  {
    name: PATH,
    scope: 'other',
    handlers: {
      POST: (state, req) =>
        req.key === null ? create(state, req) : exactError(400, 'POST on a key is not allowed.'),
      GET: (state, req) => {
        if (req.key !== null) {
          const sub = owned(state, req);
          return sub
            ? { status: 200, body: { d: toApi(state, req, sub) } }
            : exactError(404, 'Record not found.');
        }
        const filterText = req.query.get('$filter');
        const terms = filterText ? parseFilter(filterText) : [];
        requireFields(
          terms.map((t) => t.field),
          FIELDS,
        );
        const results = state.webhooks
          .list({ clientId: req.clientId, division: req.division })
          .filter((s) =>
            terms.every((t) => matches((s as unknown as Record<string, unknown>)[t.field] ?? null, t)),
          )
          .map((s) => toApi(state, req, s));
        return { status: 200, body: { d: { results } } };
      },
      DELETE: (state, req) => {
        const sub = req.key === null ? undefined : owned(state, req);
        if (!sub) return exactError(404, 'Record not found.');
        state.webhooks.remove(sub.ID);
        return { status: 204 };
      },
    },
  },
];
