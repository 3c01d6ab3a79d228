/**
 * Types of the storefront API, generated from the api's storefront document (`apps/api/openapi/storefront.json`)
 * with openapi-typescript. Use them with openapi-fetch: `createClient<paths>({ baseUrl, headers })`; see README.
 */
export type { components, paths } from './storefront-api.ts';
