import type { FastifyInstance } from 'fastify';
import { AUDIENCES } from '../src/openapi/audiences.ts';

/** Where the documents are committed: what the linter checks and the storefront client is generated from. */
export const DOCUMENTS_DIR = new URL('../openapi/', import.meta.url);

/** The documents as files, `<audience>.json`, exactly as they are committed in `apps/api/openapi/`. */
export function documentFiles(app: FastifyInstance): Record<string, string> {
  return Object.fromEntries(
    AUDIENCES.map((audience) => [
      `${audience}.json`,
      `${JSON.stringify(app.openapiDocument(audience), null, 2)}\n`,
    ]),
  );
}
