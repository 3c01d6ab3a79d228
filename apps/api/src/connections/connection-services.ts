import type { CallbackPolicy } from '@exact-sync/callbacks';
import type { Governor, TokenCipher, TokenManager } from '@exact-sync/exact';
import type { LinkSigner } from './signed-links.ts';

/** What the connection routes share: built once by the connections plugin. */
export interface ConnectionServices {
  tokens: TokenManager;
  links: LinkSigner;
  /** Read-only here: the status route shows the budget of a connection's division. */
  governor: Governor;
  /** Where browsers and Exact reach the api, without a trailing slash. */
  publicUrl: string;
  /** Origin of EXACT_BASE_URL: the host of connections that do not name their own. */
  defaultExactBaseUrl: string;
  clientId: string;
  /** What channel callback URLs may point at (CALLBACK_ALLOW_HTTP, CALLBACK_ALLOW_PRIVATE). */
  callbackPolicy: CallbackPolicy;
  /** Encrypts channels' callback signing secrets (TOKEN_ENCRYPTION_KEY), as the worker decrypts them. */
  cipher: TokenCipher;
}

/** Options of the route plugins that need the services. */
export interface WithServices {
  services: ConnectionServices;
}
