import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One callback as a storefront received it. */
export interface ReceivedCallback {
  /** The raw body: the signature is over these bytes. */
  raw: string;
  body: { id: string; type: string; orderId: string; status: string; previousStatus: string | null } & Record<
    string,
    unknown
  >;
  signature: string;
  path: string;
  /** The answer's status. */
  answered: number;
}

/**
 * A storefront's callback endpoint on loopback: it records every post and answers `respond(post, index)` (200
 * unless told otherwise). The index counts every post, failed ones included.
 */
export async function startReceiver(respond: (post: ReceivedCallback, index: number) => number = () => 200) {
  const received: ReceivedCallback[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const post: ReceivedCallback = {
        raw,
        body: JSON.parse(raw),
        signature: String(req.headers['x-exact-sync-signature'] ?? ''),
        path: req.url ?? '',
        answered: 0,
      };
      post.answered = respond(post, received.length);
      received.push(post);
      res.writeHead(post.answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** The posts that were answered 2xx, in the order they came. */
    delivered: () => received.filter((r) => r.answered >= 200 && r.answered < 300),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A storefront's check of `X-Exact-Sync-Signature`, written from the README: which of `secrets` signed `raw` (the
 * indexes), with a timestamp within `toleranceSeconds` of `nowSeconds`.
 */
export function signedBy(
  post: Pick<ReceivedCallback, 'raw' | 'signature'>,
  secrets: readonly string[],
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): number[] {
  const pairs = post.signature.split(',').map((part) => part.split('=') as [string, string]);
  const t = Number(pairs.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return [];
  const given = pairs.filter(([key]) => key === 'v1').map(([, value]) => Buffer.from(value, 'hex'));
  return secrets.flatMap((secret, i) => {
    const expected = createHmac('sha256', secret).update(`${t}.${post.raw}`).digest();
    return given.some((g) => g.length === expected.length && timingSafeEqual(g, expected)) ? [i] : [];
  });
}
