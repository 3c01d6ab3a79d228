import { z } from 'zod';
import { routeName } from './api.ts';
import { type ControlRoute, ok, parseBody } from './control-types.ts';
import { controlError } from './http.ts';

const dropSchema = z.strictObject({ endpoint: z.string().min(1), field: z.string().min(1) });
const restoreSchema = z.strictObject({
  endpoint: z.string().min(1).optional(),
  field: z.string().optional(),
});
const foreignSchema = z.strictObject({
  count: z.number().int().min(1).max(1_000_000),
  entityType: z.number().int().positive().optional(),
});

/** Exact changing under the client: fields removed at runtime, deletions of types nobody here stores. */
export const controlSchemaRoutes: ControlRoute[] = [
  { method: 'GET', pattern: /^\/_sim\/schema\/dropped$/, handler: (state) => ok(state.drops.snapshot()) },
  {
    method: 'POST',
    pattern: /^\/_sim\/schema\/drop$/,
    handler: (state, req) => {
      const parsed = parseBody(dropSchema, req.body);
      if (!parsed.ok) return parsed.reply;
      const endpoint = routeName(parsed.value.endpoint);
      if (!endpoint) return controlError(400, 'unknown_endpoint', `No endpoint '${parsed.value.endpoint}'.`);
      return ok({ endpoint, dropped: state.drops.drop(endpoint, parsed.value.field) });
    },
  },
  {
    method: 'POST',
    pattern: /^\/_sim\/schema\/restore$/,
    handler: (state, req) => {
      const parsed = parseBody(restoreSchema, req.body);
      if (!parsed.ok) return parsed.reply;
      const given = parsed.value.endpoint;
      const endpoint = given === undefined ? undefined : routeName(given);
      if (given !== undefined && !endpoint)
        return controlError(400, 'unknown_endpoint', `No endpoint '${given}'.`);
      state.drops.restore(endpoint, parsed.value.field);
      return ok(state.drops.snapshot());
    },
  },
  {
    method: 'POST',
    pattern: /^\/_sim\/divisions\/([^/]+)\/foreign-deletions$/,
    handler: (state, req) => {
      const store = state.divisions.get(Number(req.params[0]));
      if (!store) return controlError(404, 'unknown_division', `No division '${req.params[0]}'.`);
      const parsed = parseBody(foreignSchema, req.body);
      if (!parsed.ok) return parsed.reply;
      state.foreign.add(store, parsed.value.count, state.clock.now(), parsed.value.entityType);
      return ok({ added: parsed.value.count, lastTimestamp: store.lastTimestamp });
    },
  },
];
