/**
 * Where the client gets access tokens. The token manager (storage, shared-lock refresh) implements it; the client
 * only asks for the current token and reports one that Exact refused.
 */
export interface TokenProvider {
  /** A valid access token for the connection (refreshed by the provider when it is about to expire). */
  accessToken(): Promise<string>;
  /**
   * Called at most once per request after Exact answered 401 to `rejected`: answer a fresh token (or the one another
   * process already stored). Throw when the connection needs re-authorization.
   */
  refreshAfterUnauthorized(rejected: string): Promise<string>;
}
