import type { IncomingMessage, ServerResponse } from 'node:http';
import { controlRoutes } from './control.route.ts';
import { controlDataRoutes } from './control-data.route.ts';
import { controlOrderRoutes } from './control-orders.route.ts';
import { controlSchemaRoutes } from './control-schema.route.ts';
import { controlError, parseJson, readBody, send } from './http.ts';
import type { SimState } from './state.ts';

const ROUTES = [...controlRoutes, ...controlDataRoutes, ...controlOrderRoutes, ...controlSchemaRoutes];

/** Dispatches `/_sim/…` (JSON in and out, no authentication). */
export async function handleControl(
  state: SimState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? 'GET';
  const candidates = ROUTES.map((route) => ({ route, match: route.pattern.exec(path) })).filter(
    (c) => c.match,
  );
  const hit = candidates.find((c) => c.route.method === method);
  if (!hit?.match) {
    const status = candidates.length > 0 ? 405 : 404;
    return send(
      res,
      controlError(status, status === 405 ? 'method_not_allowed' : 'not_found', `${method} ${path}`),
    );
  }
  const text = method === 'GET' || method === 'DELETE' ? '' : await readBody(req, 50 * 1024 * 1024);
  const body = text.trim() === '' ? {} : parseJson(text);
  if (body === undefined) return send(res, controlError(400, 'invalid_json', 'The body is not valid JSON.'));
  const params = hit.match.slice(1).map((p) => p ?? '');
  send(res, await hit.route.handler(state, { params, query, body }));
}
