import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Access } from './auth.plugin.ts';

// Only /metrics takes the metrics token, and it is not in the document.
const SCHEMES: Record<Exclude<Access, 'public' | 'metrics'>, Record<string, string[]>> = {
  storefront: { storefrontKey: [] },
  operator: { adminToken: [] },
};

/** The credentials an operation takes, from the access rule the security plugin resolved onto its route. */
function securityOf(access: Access | readonly Access[] | undefined): Array<Record<string, string[]>> {
  const allowed = [access ?? []].flat();
  if (allowed.includes('public')) return [];
  return (['storefront', 'operator'] as const).filter((a) => allowed.includes(a)).map((a) => SCHEMES[a]);
}

/** The zod provider's transform, plus the credentials each operation wants. */
const transform: SwaggerTransform = (input) => {
  const out = jsonSchemaTransform(input);
  if ((out.schema as { hide?: boolean }).hide) return out;
  return { ...out, schema: { ...out.schema, security: securityOf(input.route.config?.access) } };
};

/**
 * The OpenAPI document, generated from the zod schemas the routes validate with, and Swagger UI at `/docs` (public).
 * Registered before the routes, since it collects them as they are added.
 */
async function docsPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'exact-sync',
        description:
          'Keeps web shops in sync with Exact Online: catalogue reads and orders for storefronts, connections and ' +
          'sync control for operators. Errors are `{"error": {"code", "message", "details"?}}`; lists are ' +
          '`{"data": [...], "nextCursor"}`.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          adminToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'The operator token (ADMIN_TOKEN). Browser pages also take it as the Basic auth password.',
          },
          storefrontKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'A storefront API key; it fixes the connection and channel (b2b or b2c).',
          },
        },
      },
      tags: [
        { name: 'orders', description: 'Storefront orders and their state' },
        { name: 'catalogue', description: 'Synced Exact data for storefronts' },
        { name: 'connections', description: 'Onboarding and running a connection (operators)' },
        { name: 'api keys', description: 'Storefront keys (operators)' },
        { name: 'webhooks', description: 'Deliveries from Exact Online' },
      ],
    },
    transform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
  });
}

export default fp(docsPlugin, { name: 'docs' });
