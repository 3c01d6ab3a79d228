import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The secret an Authorization header carries: a bearer token, or the password of Basic auth (as the api reads it). */
function secretOf(header: string | undefined): string | undefined {
  const [scheme = '', value = ''] = (header ?? '').split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return value.trim() || undefined;
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString();
  return decoded.slice(decoded.indexOf(':') + 1);
}

/**
 * Whether an Authorization header carries one of the tokens that may read `/metrics`: the operator's ADMIN_TOKEN,
 * or the scraper's METRICS_TOKEN when it is set. Compared in constant time: hashing first makes the lengths equal.
 */
export function mayScrape(
  header: string | undefined,
  tokens: { admin: string; metrics?: string | undefined },
): boolean {
  const given = secretOf(header);
  if (given === undefined) return false;
  const accepted = [tokens.admin, tokens.metrics].filter((t): t is string => t !== undefined && t !== '');
  // Every token is compared, so the time taken does not tell which one matched.
  return accepted.map((t) => timingSafeEqual(sha256(given), sha256(t))).includes(true);
}
