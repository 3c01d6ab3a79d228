import { z } from 'zod';
import { mergeConfig, simConfigPatchSchema, userDivisionOf } from './config.ts';
import { type ControlRoute, ok, parseBody } from './control-types.ts';
import { faultsSchema } from './faults.ts';
import { controlError } from './http.ts';

const advanceSchema = z.strictObject({ ms: z.number().int().nonnegative() });
const tokensSchema = z.strictObject({
  clientId: z.string().optional(),
  division: z.number().int().optional(),
});

function divisionParam(query: URLSearchParams): number | undefined {
  const value = query.get('division');
  return value === null || value === '' ? undefined : Number(value);
}

/** Config, reset, clock, direct tokens, stats, faults and health. */
export const controlRoutes: ControlRoute[] = [
  { method: 'GET', pattern: /^\/_sim\/health$/, handler: () => ok({ ok: true }) },
  { method: 'GET', pattern: /^\/_sim\/config$/, handler: (state) => ok(state.config) },
  {
    method: 'PATCH',
    pattern: /^\/_sim\/config$/,
    handler: (state, req) => {
      const parsed = parseBody(simConfigPatchSchema, req.body);
      if (!parsed.ok) return parsed.reply;
      state.config = mergeConfig(state.config, parsed.value);
      return ok(state.config);
    },
  },
  {
    method: 'POST',
    pattern: /^\/_sim\/reset$/,
    handler: (state, req) => {
      const parsed = parseBody(simConfigPatchSchema, req.body);
      if (!parsed.ok) return parsed.reply;
      state.reset(parsed.value);
      return ok(state.config);
    },
  },
  { method: 'GET', pattern: /^\/_sim\/clock$/, handler: (state) => ok({ now: state.clock.now() }) },
  {
    method: 'POST',
    pattern: /^\/_sim\/clock\/advance$/,
    handler: (state, req) => {
      const parsed = parseBody(advanceSchema, req.body);
      return parsed.ok ? ok({ now: state.clock.advance(parsed.value.ms) }) : parsed.reply;
    },
  },
  {
    method: 'POST',
    pattern: /^\/_sim\/tokens$/,
    handler: (state, req) => {
      const parsed = parseBody(tokensSchema, req.body);
      if (!parsed.ok) return parsed.reply;
      const clientId = parsed.value.clientId ?? state.config.clients[0]?.clientId ?? '';
      if (!state.tokens.client(clientId))
        return controlError(400, 'unknown_client', `No client '${clientId}'.`);
      return ok(state.tokens.direct(clientId, parsed.value.division ?? userDivisionOf(state.config)));
    },
  },
  {
    method: 'GET',
    pattern: /^\/_sim\/stats$/,
    handler: (state, req) => {
      const tokens = state.tokens.snapshot();
      return ok({
        ...state.stats.snapshot(divisionParam(req.query)),
        dayWindows: state.limiter.dayWindows(divisionParam(req.query)),
        tokenCalls: tokens.calls,
        tokens: tokens.byClient,
      });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/_sim\/stats$/,
    handler: (state) => {
      state.stats.clear();
      state.tokens.clearStats();
      return ok({ ok: true });
    },
  },
  { method: 'GET', pattern: /^\/_sim\/faults$/, handler: (state) => ok(state.faults.current) },
  {
    method: 'PUT',
    pattern: /^\/_sim\/faults$/,
    handler: (state, req) => {
      const parsed = parseBody(faultsSchema, req.body);
      if (!parsed.ok) return parsed.reply;
      state.faults.set(parsed.value, state.config.seed);
      return ok(state.faults.current);
    },
  },
  {
    method: 'GET',
    pattern: /^\/_sim\/webhooks$/,
    handler: (state) => ok({ subscriptions: state.webhooks.list(), deliveries: state.webhooks.deliveries() }),
  },
];
