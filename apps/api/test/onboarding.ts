import type { FastifyInstance } from 'fastify';

export const ADMIN = { authorization: 'Bearer test-admin-token-0123456789' };

/** The path and query of an absolute URL, for `inject`. */
export const pathOf = (url: string): string => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/**
 * What an operator and a person in a browser do, through HTTP only: create the connection, open the authorize
 * link (302 to Exact), approve on Exact's consent page (302 back) and land on the callback.
 */
export async function onboard(
  api: FastifyInstance,
  body: Record<string, unknown> = { name: 'Web shop' },
): Promise<{ id: string; callback: { statusCode: number; body: string } }> {
  const created = await api.inject({ method: 'POST', url: '/v1/connections', headers: ADMIN, payload: body });
  if (created.statusCode !== 201) throw new Error(`create answered ${created.statusCode}: ${created.body}`);
  const { id, authorizeUrl } = created.json<{ id: string; authorizeUrl: string }>();
  const callback = await authorizeThrough(api, authorizeUrl);
  return { id, callback };
}

/** Follows an authorize link through Exact's consent page back to the api's callback. */
export async function authorizeThrough(
  api: FastifyInstance,
  authorizeUrl: string,
): Promise<{ statusCode: number; body: string }> {
  const toExact = await api.inject({ method: 'GET', url: pathOf(authorizeUrl) });
  if (toExact.statusCode !== 302)
    throw new Error(`authorize answered ${toExact.statusCode}: ${toExact.body}`);
  const consent = await fetch(String(toExact.headers.location), { redirect: 'manual' });
  const back = consent.headers.get('location');
  if (consent.status !== 302 || !back) throw new Error(`consent page answered ${consent.status}`);
  const res = await api.inject({ method: 'GET', url: pathOf(back) });
  return { statusCode: res.statusCode, body: res.body };
}

/** The stored (encrypted) tokens of a connection. */
export const storedTokens = async (api: FastifyInstance, id: string) =>
  (
    await api.database.sql<{ access: string; refresh: string }[]>`
      select access_token_enc as access, refresh_token_enc as refresh from connections where id = ${id}`
  )[0];
