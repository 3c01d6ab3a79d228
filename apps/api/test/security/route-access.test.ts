import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import errorsPlugin from '../../src/plugins/errors.plugin.ts';
import securityPlugin from '../../src/plugins/security.plugin.ts';

// The security plugin alone, over an auth that accepts one bearer: what the access hook does, without a database.
const stubAuth = fp(
  async (app: FastifyInstance) => {
    app.decorate('authenticate', async (request, allowed) =>
      request.headers.authorization === 'Bearer ok' && !allowed.includes('public')
        ? undefined
        : { status: 401 as const, message: 'refused' },
    );
  },
  { name: 'auth' },
);
// The storefront limit's Redis: never reached, since the stub authenticates no storefront.
const stubQueues = fp(
  async (app: FastifyInstance) => {
    const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true });
    app.decorate('redis', redis);
    app.addHook('onClose', async () => redis.disconnect());
  },
  { name: 'queues' },
);

let api: FastifyInstance | undefined;

async function appWith(routes: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  api = Fastify({ logger: false });
  api.setValidatorCompiler(validatorCompiler);
  api.setSerializerCompiler(serializerCompiler);
  await api.register(errorsPlugin);
  await api.register(stubAuth);
  await api.register(stubQueues);
  await api.register(securityPlugin, { storefrontPerMinute: 100, redisPrefix: 'unused' });
  await api.register(async (instance) => routes(instance));
  await api.ready();
  return api;
}

afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('route access', () => {
  it('refuses to start with a route that declares none', async () => {
    await expect(appWith((app) => app.get('/v1/open', async () => 'open'))).rejects.toThrow(
      'route GET /v1/open declares no access: set config.access on it',
    );
  });

  it('checks credentials before the input is validated', async () => {
    const app = await appWith((instance) =>
      instance.post(
        '/v1/things',
        { config: { access: 'operator' }, schema: { body: z.object({ name: z.string() }) } },
        async () => ({ ok: true }),
      ),
    );
    const anonymous = await app.inject({ method: 'POST', url: '/v1/things', payload: {} });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ error: { code: 'unauthorized', message: 'refused' } });
    const invalid = await app.inject({
      method: 'POST',
      url: '/v1/things',
      payload: {},
      headers: { authorization: 'Bearer ok' },
    });
    expect(invalid.statusCode).toBe(400);
  });

  it('opens public routes, and guards the routes of other plugins by their prefix', async () => {
    const app = await appWith((instance) => {
      instance.get('/health/live', { config: { access: 'public' } }, async () => 'live');
      // As Swagger UI and Bull Board register them: without a config.
      instance.get('/docs/json', async () => 'docs');
      instance.get('/admin/queues/api/queues', async () => 'queues');
    });
    expect((await app.inject('/health/live')).statusCode).toBe(200);
    expect((await app.inject('/docs/json')).statusCode).toBe(200);
    const queues = await app.inject('/admin/queues/api/queues');
    expect(queues.statusCode).toBe(401);
    expect(queues.headers['www-authenticate']).toBe('Basic realm="exact-sync"');
    const allowed = await app.inject({
      url: '/admin/queues/api/queues',
      headers: { authorization: 'Bearer ok' },
    });
    expect(allowed.statusCode).toBe(200);
  });
});
