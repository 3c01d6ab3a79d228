/**
 * Regenerates `src/storefront-api.ts` from the api's committed storefront document: run `pnpm openapi` (the
 * document) and then this (`pnpm --filter @exact-sync/client generate`) after changing a storefront route.
 */
import { writeFileSync } from 'node:fs';
import { storefrontTypes, TYPES_FILE } from './storefront-types.ts';

writeFileSync(TYPES_FILE, await storefrontTypes());
console.log('wrote packages/client/src/storefront-api.ts');
