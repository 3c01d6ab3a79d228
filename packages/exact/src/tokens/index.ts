export {
  authorizationUrl,
  /** @internal */
  classifyOAuthFailure,
  /** @internal */
  refreshAccessToken,
} from './oauth.ts';
export {
  createTokenCipher,
  parseEncryptionKey,
  type TokenCipher,
} from './token-crypto.ts';
export {
  ConnectionNeedsReauthError,
  ConnectionNotAuthorizableError,
  ConnectionNotFoundError,
  DivisionMismatchError,
  /** @internal */
  InvalidEncryptionKeyError,
  OAuthRequestError,
  /** @internal */
  TokenDecryptionError,
  TokenRefreshFailedError,
  /** @internal */
  TokenRefreshTooEarlyError,
} from './token-errors.ts';
export { createTokenManager, type TokenManager } from './token-manager.ts';
export {
  /** @internal */
  DEFAULT_TOKEN_POLICY,
} from './token-policy.ts';
export type {
  /** @internal */
  TokenRow,
  /** @internal */
  TokenStore,
} from './token-store.ts';
