export { authorizationUrl, classifyOAuthFailure, refreshAccessToken } from './oauth.ts';
export { createTokenCipher, parseEncryptionKey } from './token-crypto.ts';
export {
  ConnectionNeedsReauthError,
  ConnectionNotAuthorizableError,
  ConnectionNotFoundError,
  DivisionMismatchError,
  InvalidEncryptionKeyError,
  OAuthRequestError,
  TokenDecryptionError,
  TokenRefreshFailedError,
  TokenRefreshTooEarlyError,
} from './token-errors.ts';
export { createTokenManager, type TokenManager } from './token-manager.ts';
export { DEFAULT_TOKEN_POLICY } from './token-policy.ts';
export type { TokenRow, TokenStore } from './token-store.ts';
