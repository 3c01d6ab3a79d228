import { createTokenStore } from '@exact-sync/db';
import { createTokenCipher, createTokenManager, parseEncryptionKey, systemClock } from '@exact-sync/exact';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiConfig } from '../config.ts';
import type { ConnectionServices } from '../connections/connection-services.ts';
import { createLinkSigner } from '../connections/signed-links.ts';
import { apiKeyRoutes } from '../routes/api-keys.route.ts';
import { callbackSecretRoutes } from '../routes/callback-secrets.route.ts';
import { connectionRoutes } from '../routes/connections.route.ts';
import { oauthRoutes } from '../routes/oauth.route.ts';

// Long enough to log in to Exact (and pass its two-factor step), short enough that a leaked link soon dies.
const LINK_TTL_MS = 15 * 60_000;

/** Connection onboarding and lifecycle: token manager, signed links, and the operator routes that use them. */
async function connectionsPlugin(app: FastifyInstance, options: { config: ApiConfig }): Promise<void> {
  const { config } = options;
  const encryptionKey = parseEncryptionKey(config.TOKEN_ENCRYPTION_KEY);
  const services: ConnectionServices = {
    tokens: createTokenManager({
      store: createTokenStore(app.database.db),
      clock: systemClock,
      encryptionKey,
      clientId: config.EXACT_CLIENT_ID,
      clientSecret: config.EXACT_CLIENT_SECRET,
      exactBaseUrl: config.EXACT_BASE_URL,
      logger: app.log,
    }),
    links: createLinkSigner({ encryptionKey, ttlMs: LINK_TTL_MS }),
    governor: app.governor,
    publicUrl: (config.PUBLIC_URL ?? `http://127.0.0.1:${config.API_PORT}`).replace(/\/+$/, ''),
    defaultExactBaseUrl: new URL(config.EXACT_BASE_URL).origin,
    clientId: config.EXACT_CLIENT_ID,
    callbackPolicy: { allowHttp: config.CALLBACK_ALLOW_HTTP, allowPrivate: config.CALLBACK_ALLOW_PRIVATE },
    cipher: createTokenCipher(encryptionKey),
  };
  await app.register(connectionRoutes, { services });
  await app.register(oauthRoutes, { services });
  await app.register(apiKeyRoutes);
  await app.register(callbackSecretRoutes, { services });
}

export default fp(connectionsPlugin, { name: 'connections', dependencies: ['database', 'queues', 'auth'] });
