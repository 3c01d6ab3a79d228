export {
  authorizationUrl,
  classifyOAuthFailure,
  exchangeAuthorizationCode,
  fetchCurrentDivision,
  type OAuthClient,
  type OAuthFailureKind,
  type OAuthTokens,
  refreshAccessToken,
} from './oauth.ts';
export { createTokenCipher, parseEncryptionKey, type TokenCipher } from './token-crypto.ts';
export {
  ConnectionNeedsReauthError,
  ConnectionNotFoundError,
  InvalidEncryptionKeyError,
  OAuthRequestError,
  TokenDecryptionError,
  TokenRefreshFailedError,
  TokenRefreshTooEarlyError,
} from './token-errors.ts';
export {
  createTokenManager,
  type IdleRefreshSummary,
  type TokenManager,
  type TokenManagerDeps,
  type TokenManagerOptions,
} from './token-manager.ts';
export { DEFAULT_TOKEN_POLICY, type TokenPolicy } from './token-policy.ts';
