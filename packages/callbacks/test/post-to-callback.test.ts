import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CallbackPolicy, resolveCallbackTarget } from '../src/callback-target.ts';
import { postToCallback } from '../src/post-to-callback.ts';
import { scriptedResolver } from './scripted-resolver.ts';
import { startTlsServer } from './tls-server.ts';

// `.test` names never resolve: any lookup other than the pinned address would fail the delivery.
const HOST = 'hooks.shop.test';
// The test server listens on loopback, so the policy must let loopback through; what the policy refuses is
// tested in callback-target.test.ts.
const LOCAL: CallbackPolicy = { allowHttp: false, allowPrivate: true };

let server: Awaited<ReturnType<typeof startTlsServer>>;
const urlOf = (path: string, host = HOST) => `https://${host}:${server.port}${path}`;

beforeAll(async () => {
  server = await startTlsServer(HOST);
});

afterAll(async () => {
  await server?.close();
});

describe('postToCallback', () => {
  it('connects to the checked address only, keeping the name for TLS and Host: a rebinding answer is never asked for', async () => {
    // Checked at 127.0.0.1; a second lookup would answer 127.0.0.2, where nothing listens.
    const resolve = scriptedResolver(['127.0.0.1'], ['127.0.0.2']);
    const target = await resolveCallbackTarget(urlOf('/orders?shop=1'), LOCAL, resolve);
    for (const state of ['submitting', 'submitted']) {
      const answer = await postToCallback(target, {
        body: JSON.stringify({ state }),
        headers: { 'x-exact-sync-signature': 'sig' },
        timeoutMs: 2_000,
        ca: server.ca,
      });
      expect(answer).toEqual({ status: 204 });
    }
    expect(resolve.lookups).toEqual([HOST]);
    expect(server.received.map(({ headers, ...r }) => ({ ...r, type: headers['content-type'] }))).toEqual(
      ['submitting', 'submitted'].map((state) => ({
        path: '/orders?shop=1',
        servername: HOST,
        host: `${HOST}:${server.port}`,
        body: JSON.stringify({ state }),
        type: 'application/json',
      })),
    );
    expect(server.received[0]?.headers['x-exact-sync-signature']).toBe('sig');
  });

  it('checks the certificate against the name, not the address', async () => {
    const target = await resolveCallbackTarget(
      urlOf('/orders', 'other.shop.test'),
      LOCAL,
      scriptedResolver(['127.0.0.1']),
    );
    await expect(postToCallback(target, { body: '{}', timeoutMs: 2_000, ca: server.ca })).rejects.toThrow(
      /altnames|certificate/i,
    );
    // Nor is a self-signed certificate trusted without being given.
    const own = await resolveCallbackTarget(urlOf('/orders'), LOCAL, scriptedResolver(['127.0.0.1']));
    await expect(postToCallback(own, { body: '{}', timeoutMs: 2_000 })).rejects.toThrow(/self.signed/i);
  });

  it('answers a redirect with its status instead of following it', async () => {
    const before = server.received.length;
    const target = await resolveCallbackTarget(urlOf('/redirect'), LOCAL, scriptedResolver(['127.0.0.1']));
    expect(await postToCallback(target, { body: '{}', timeoutMs: 2_000, ca: server.ca })).toEqual({
      status: 302,
    });
    expect(server.received.slice(before).map((r) => r.path)).toEqual(['/redirect']);
  });

  it('gives up after timeoutMs when no answer comes', async () => {
    const target = await resolveCallbackTarget(urlOf('/silent'), LOCAL, scriptedResolver(['127.0.0.1']));
    const started = Date.now();
    await expect(postToCallback(target, { body: '{}', timeoutMs: 300, ca: server.ca })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    // It did arrive: the wait was for the answer.
    expect(server.received.at(-1)?.path).toBe('/silent');
  });
});
