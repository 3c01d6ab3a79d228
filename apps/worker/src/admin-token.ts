import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Whether an Authorization header carries the operator's ADMIN_TOKEN, as a bearer token or as the password of Basic
 * auth (as the api accepts it). Compared in constant time: hashing first makes the lengths equal.
 */
export function carriesAdminToken(header: string | undefined, adminToken: string): boolean {
  const [scheme = '', value = ''] = (header ?? '').split(' ', 2);
  let given: string | undefined;
  if (scheme.toLowerCase() === 'bearer') given = value.trim();
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString();
    given = decoded.slice(decoded.indexOf(':') + 1);
  }
  return given !== undefined && timingSafeEqual(sha256(given), sha256(adminToken));
}
