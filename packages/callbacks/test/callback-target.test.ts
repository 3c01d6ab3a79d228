import { describe, expect, it } from 'vitest';
import { type CallbackPolicy, CallbackTargetError, resolveCallbackTarget } from '../src/callback-target.ts';
import { scriptedResolver } from './scripted-resolver.ts';

const STRICT: CallbackPolicy = { allowHttp: false, allowPrivate: false };
const OPEN: CallbackPolicy = { allowHttp: true, allowPrivate: true };

async function refusal(promise: Promise<unknown>): Promise<{ reason: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CallbackTargetError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { reason: error.reason, message: error.message };
}

describe('resolveCallbackTarget', () => {
  it('pins a public host to the address it resolved to, keeping the name for TLS', async () => {
    const resolve = scriptedResolver(['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']);
    const target = await resolveCallbackTarget('https://Hooks.Shop.example/orders?x=1', STRICT, resolve);
    expect(target).toEqual({
      url: 'https://hooks.shop.example/orders?x=1',
      hostname: 'hooks.shop.example',
      address: '93.184.215.14',
      family: 4,
    });
    expect(Object.isFrozen(target)).toBe(true);
    expect(resolve.lookups).toEqual(['hooks.shop.example']);
  });

  it('asks no resolver for an IP address, IPv6 included', async () => {
    const resolve = scriptedResolver();
    expect(await resolveCallbackTarget('https://[2606:4700::1]:8443/h', STRICT, resolve)).toMatchObject({
      hostname: '2606:4700::1',
      address: '2606:4700::1',
      family: 6,
    });
    expect(resolve.lookups).toEqual([]);
  });

  it('wants https unless the policy allows http, and nothing else', async () => {
    expect(await refusal(resolveCallbackTarget('http://93.184.215.14/h', STRICT))).toEqual({
      reason: 'insecure_scheme',
      message: 'must be an https:// URL',
    });
    expect((await resolveCallbackTarget('http://93.184.215.14/h', OPEN)).address).toBe('93.184.215.14');
    for (const url of ['ftp://93.184.215.14/h', 'file:///etc/passwd', 'gopher://127.0.0.1/']) {
      expect((await refusal(resolveCallbackTarget(url, OPEN))).reason, url).toBe('insecure_scheme');
    }
    expect((await refusal(resolveCallbackTarget('not a url', OPEN))).reason).toBe('invalid_url');
    expect(await refusal(resolveCallbackTarget('https://u:p@93.184.215.14/', OPEN))).toEqual({
      reason: 'invalid_url',
      message: 'must not carry a user name or password',
    });
  });

  it('refuses non-public addresses however they are written', async () => {
    for (const [url, message] of [
      ['https://127.0.0.1/h', '127.0.0.1 (loopback) is not a public address'],
      ['https://2130706433/h', '127.0.0.1 (loopback) is not a public address'],
      ['https://0x7f.1/h', '127.0.0.1 (loopback) is not a public address'],
      ['https://10.1.2.3/h', '10.1.2.3 (private-use) is not a public address'],
      ['https://169.254.169.254/latest/meta-data/', '169.254.169.254 (link-local) is not a public address'],
      ['https://[::1]/h', '::1 (loopback) is not a public address'],
      [
        'https://[::ffff:169.254.169.254]/h',
        '::ffff:a9fe:a9fe (IPv4-mapped link-local) is not a public address',
      ],
      ['https://[fd00::1]/h', 'fd00::1 (unique-local) is not a public address'],
      ['https://0.0.0.0/h', '0.0.0.0 ("this network") is not a public address'],
    ]) {
      expect(await refusal(resolveCallbackTarget(url as string, STRICT)), url).toEqual({
        reason: 'non_public_address',
        message,
      });
    }
  });

  it('refuses a name when any one of its addresses is not public', async () => {
    const resolve = scriptedResolver(['93.184.215.14', '10.0.0.7']);
    expect(await refusal(resolveCallbackTarget('https://mixed.example/h', STRICT, resolve))).toEqual({
      reason: 'non_public_address',
      message: 'host mixed.example resolves to 10.0.0.7 (private-use), not a public address',
    });
  });

  it('lets private addresses through when the policy allows them', async () => {
    const resolve = scriptedResolver(['127.0.0.1']);
    const target = await resolveCallbackTarget('https://hooks.internal/h', OPEN, resolve);
    expect(target).toMatchObject({ address: '127.0.0.1', family: 4 });
  });

  it('refuses a name that does not resolve, naming why', async () => {
    expect(
      await refusal(resolveCallbackTarget('https://nowhere.example/h', STRICT, scriptedResolver())),
    ).toEqual({ reason: 'unresolvable', message: 'host nowhere.example does not resolve (ENOTFOUND)' });
    const empty = scriptedResolver([]);
    expect((await refusal(resolveCallbackTarget('https://empty.example/', OPEN, empty))).reason).toBe(
      'unresolvable',
    );
  });

  it('judges every lookup afresh: a name rebound to a private address is refused at the next delivery', async () => {
    const resolve = scriptedResolver(['93.184.215.14'], ['127.0.0.1']);
    expect((await resolveCallbackTarget('https://rebind.example/h', STRICT, resolve)).address).toBe(
      '93.184.215.14',
    );
    expect((await refusal(resolveCallbackTarget('https://rebind.example/h', STRICT, resolve))).message).toBe(
      'host rebind.example resolves to 127.0.0.1 (loopback), not a public address',
    );
  });

  it('uses the system resolver by default, /etc/hosts included', async () => {
    expect((await refusal(resolveCallbackTarget('https://localhost/h', STRICT))).message).toMatch(
      /^host localhost resolves to (127\.0\.0\.1 \(loopback\)|::1 \(loopback\)), not a public address$/,
    );
  });
});
