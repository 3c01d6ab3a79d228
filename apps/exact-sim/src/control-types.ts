import type { z } from 'zod';
import { controlError, type Reply } from './http.ts';
import type { SimState } from './state.ts';

interface ControlRequest {
  params: string[];
  query: URLSearchParams;
  /** Parsed JSON body ({} when empty). */
  body: unknown;
}

/** One control route; `pattern` is matched against the path, its groups become `params`. */
export interface ControlRoute {
  method: string;
  pattern: RegExp;
  handler: (state: SimState, req: ControlRequest) => Reply | Promise<Reply>;
}

export const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** Validates a body with zod and answers a readable 400 listing every problem. */
export function parseBody<T>(
  schema: z.ZodType<T>,
  body: unknown,
): { ok: true; value: T } | { ok: false; reply: Reply } {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const message = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  return { ok: false, reply: controlError(400, 'invalid_body', message) };
}
