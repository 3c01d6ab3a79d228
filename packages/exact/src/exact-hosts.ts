/**
 * Exact Online's country sites, each an https origin serving the same API. The list follows Exact's developer guide
 * "Exact Online sites" (which picqer/exact-php-client's README points to for hosts other than .nl) and the hosts
 * that independent clients configure: .nl and .be (AlainBenbassat/eu.businessandcode.exactonline), .co.uk
 * (ossobv/exactonline), .de (picqer/exact-php-client), .com for the United States, .es and .fr.
 */
const EXACT_COUNTRY_ORIGINS: readonly string[] = [
  'https://start.exactonline.nl',
  'https://start.exactonline.be',
  'https://start.exactonline.de',
  'https://start.exactonline.co.uk',
  'https://start.exactonline.com',
  'https://start.exactonline.es',
  'https://start.exactonline.fr',
];

/**
 * Whether a connection may talk to `origin`: one of Exact's country sites, or the origin the service is configured
 * with (`EXACT_BASE_URL`, which is how the simulator gets in for demos and tests). The app's client secret and the
 * tokens go to this host, so nothing else is allowed.
 */
export function isAllowedExactOrigin(origin: string, configuredBaseUrl: string): boolean {
  return EXACT_COUNTRY_ORIGINS.includes(origin) || origin === new URL(configuredBaseUrl).origin;
}
