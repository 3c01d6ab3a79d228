import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { storefrontTypes, TYPES_FILE } from '../scripts/storefront-types.ts';

describe('the committed storefront types', () => {
  it('are what openapi-typescript makes of the api’s storefront document', async () => {
    const committed = readFileSync(TYPES_FILE, 'utf8');
    const fresh = await storefrontTypes();
    expect(
      committed === fresh,
      'packages/client/src/storefront-api.ts is stale: run `pnpm --filter @exact-sync/client generate`',
    ).toBe(true);
    expect(fresh).toContain('createOrder');
  });
});
