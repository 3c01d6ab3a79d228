import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

/** The storefront document the api commits (`pnpm openapi` writes it): the contract the types are made from. */
const STOREFRONT_DOCUMENT = new URL('../../../apps/api/openapi/storefront.json', import.meta.url);
/** The generated types, committed. */
export const TYPES_FILE = new URL('../src/storefront-api.ts', import.meta.url);

/** The types of the storefront document, exactly as the `openapi-typescript` command line writes them. */
export async function storefrontTypes(document: URL = STOREFRONT_DOCUMENT): Promise<string> {
  return `${COMMENT_HEADER}${astToString(await openapiTS(document, { silent: true }))}`;
}
