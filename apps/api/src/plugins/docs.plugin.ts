import swagger, { type SwaggerTransform } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { AUDIENCES, type Audience, documentFor } from '../openapi/audiences.ts';
import { addDefaultAnswers } from '../openapi/default-answers.ts';
import type { OpenApiDocument } from '../openapi/document.ts';
import { finishDocument } from '../openapi/finish-document.ts';
import type { Access } from './auth.plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The OpenAPI document of one audience: what `/docs/<audience>/json` serves and client generators read. */
    openapiDocument(audience: Audience): OpenApiDocument;
  }
}

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

const DOCS = '/docs';

/**
 * The OpenAPI documents, generated from the zod schemas the routes validate with: all routes at `/docs/json`, and
 * one per audience at `/docs/storefront/json` and `/docs/operator/json` (what client generators read). Swagger UI
 * at `/docs` (public) shows either. Registered before the routes, since it collects them as they are added.
 */
async function docsPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route: RouteOptions) => addDefaultAnswers(route));
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'exact-sync',
        description:
          'Keeps web shops in sync with Exact Online: catalogue reads and orders for storefronts, connections and ' +
          'sync control for operators. Errors are `{"error": {"code", "message", "details"?}}`; lists are ' +
          '`{"data": [...], "nextCursor"}`. Every answer carries `X-Request-Id`.',
        version: '0.1.0',
      },
      servers: [{ url: '/', description: 'this api' }],
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
    transformObject: finishDocument,
  });

  const documents = new Map<Audience, OpenApiDocument>();
  app.decorate('openapiDocument', (audience: Audience) => {
    const cached = documents.get(audience);
    if (cached) return cached;
    const made = documentFor(app.swagger() as unknown as OpenApiDocument, audience);
    documents.set(audience, made);
    return made;
  });
  for (const audience of AUDIENCES) {
    app.get(`${DOCS}/${audience}/json`, { config: { access: 'public' }, schema: { hide: true } }, async () =>
      app.openapiDocument(audience),
    );
  }
  await app.register(swaggerUi, {
    routePrefix: DOCS,
    uiConfig: {
      docExpansion: 'list',
      deepLinking: true,
      validatorUrl: null,
      // The first is shown first; `/docs/json` (every route) stays for tools that want one document.
      urls: AUDIENCES.map((audience) => ({ url: `${DOCS}/${audience}/json`, name: audience })),
    },
  });
}

export default fp(docsPlugin, { name: 'docs', dependencies: ['security'] });
