import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { repoRoot } from '@exact-sync/testkit';
import { describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../src/cli.ts';

interface Run {
  code: number;
  out: string;
  err: string;
  requests: { method: string; url: string; body: unknown; auth: string | null }[];
}

/** Runs the CLI against a stub of the api that answers `reply` and records what it was asked. */
async function run(
  argv: string[],
  reply: { status: number; body?: unknown } = { status: 200, body: {} },
  env: Record<string, string> = { ADMIN_TOKEN: 'operator-token-123456', API_URL: 'http://api.test' },
): Promise<Run> {
  const result: Run = { code: 0, out: '', err: '', requests: [] };
  const io: CliIo = {
    env,
    stdout: (t) => {
      result.out += `${t}\n`;
    },
    stderr: (t) => {
      result.err += `${t}\n`;
    },
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      result.requests.push({
        method: init?.method ?? 'GET',
        url: String(url),
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
        auth: headers.get('authorization'),
      });
      return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
        status: reply.status,
      });
    },
  };
  result.code = await runCli(argv, io);
  return result;
}

describe('exs command line', () => {
  it('lists every command in --help, and each command explains its arguments', async () => {
    const help = await run(['--help'], undefined, {});
    expect(help.code).toBe(0);
    for (const name of [
      'create',
      'authorize-link',
      'status',
      'pause',
      'resume',
      'keys create',
      'keys revoke',
      'sync',
      'callback-secret rotate',
      'entity',
    ]) {
      expect(help.out).toContain(`  ${name} `);
    }
    const sync = await run(['sync', '--help'], undefined, {});
    expect(sync.out).toContain(
      'usage: exs sync <connection-id> [--entity <items|stock|prices|accounts|addresses|contacts|orderHeaders|orderLines|deliveries|deliveryLines|invoices>]... [--full]',
    );
    expect(sync.requests).toEqual([]);
  });

  it('refuses unknown commands, missing arguments and bad options with exit code 2, before calling the api', async () => {
    const unknown = await run(['frobnicate']);
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining('unknown command "frobnicate"')]);
    const missing = await run(['status']);
    expect([missing.code, missing.err]).toEqual([2, expect.stringContaining('missing <connection-id>')]);
    const option = await run(['status', 'abc', '--colour']);
    expect([option.code, option.err]).toEqual([2, expect.stringContaining("Unknown option '--colour'")]);
    const channel = await run(['keys', 'create', 'abc', '--channel', 'pos']);
    expect(channel.err).toContain('--channel must be one of b2b, b2c, got "pos"');
    const entity = await run(['sync', 'abc', '--entity', 'orders']);
    expect(entity.err).toContain('--entity must be one of items, stock, prices, accounts, addresses');
    const state = await run(['entity', 'abc', 'contacts', 'maybe']);
    expect(state.err).toContain('state must be one of on, off, default, got "maybe"');
    const division = await run(['create', 'Shop', '--division', 'twelve']);
    expect(division.err).toContain('--division must be a whole number');
    expect([
      ...unknown.requests,
      ...missing.requests,
      ...channel.requests,
      ...division.requests,
      ...state.requests,
    ]).toEqual([]);
  });

  it('says which variable is wrong when ADMIN_TOKEN or API_URL is missing or bad', async () => {
    const res = await run(['list'], undefined, { API_URL: 'not a url' });
    expect(res.code).toBe(2);
    expect(res.err).toContain('API_URL: must be an http(s) URL');
    expect(res.err).toContain('ADMIN_TOKEN: is required');
  });

  it('sends the operator token and the request the command stands for', async () => {
    const res = await run(['sync', 'c1', '--entity', 'items', '--entity', 'stock', '--full'], {
      status: 202,
      body: { enqueued: ['items', 'stock'] },
    });
    expect(res.code).toBe(0);
    expect(res.requests).toEqual([
      {
        method: 'POST',
        url: 'http://api.test/v1/connections/c1/sync',
        body: { entities: ['items', 'stock'], full: true },
        auth: 'Bearer operator-token-123456',
      },
    ]);
    expect(res.out).toContain('Sync queued: items, stock (full)');
  });

  it('switches an entity off, on, and back to its default', async () => {
    for (const [state, enabled] of [
      ['off', false],
      ['on', true],
      ['default', null],
    ] as const) {
      const res = await run(['entity', 'c1', 'contacts', state], { status: 200, body: { id: 'c1' } });
      expect(res.code).toBe(0);
      expect(res.requests.map((r) => [r.method, r.url, r.body])).toEqual([
        ['PATCH', 'http://api.test/v1/connections/c1', { entities: { contacts: { enabled } } }],
      ]);
    }
  });

  it('rotates a callback secret and prints it once, and prints the secret a first callback URL made', async () => {
    const rotated = await run(['callback-secret', 'rotate', 'c1', 'b2c'], {
      status: 201,
      body: { secret: 'whsec_rotated' },
    });
    expect(rotated.code).toBe(0);
    expect(rotated.requests.map((r) => [r.method, r.url])).toEqual([
      ['POST', 'http://api.test/v1/connections/c1/channels/b2c/callback-secret'],
    ]);
    expect(rotated.out).toContain('  whsec_rotated');
    expect(rotated.out).toContain('24 hours');
    const badChannel = await run(['callback-secret', 'rotate', 'c1', 'pos']);
    expect([badChannel.code, badChannel.requests]).toEqual([2, []]);
    const unknown = await run(['callback-secret', 'show', 'c1']);
    expect(unknown.err).toContain('unknown command "callback-secret show"');

    const set = await run(['set-channel', 'c1', 'b2b', '--callback-url', 'https://shop.example/hooks'], {
      status: 200,
      body: { name: 'Shop', callbackSecrets: { b2b: 'whsec_first' } },
    });
    expect(set.requests[0]?.body).toEqual({
      channels: { b2b: { callbackUrl: 'https://shop.example/hooks' } },
    });
    expect(set.out).toContain('Shop: b2b settings saved');
    expect(set.out).toContain('  whsec_first');

    const priced = await run(
      [
        'set-channel',
        'c1',
        'b2c',
        '--default-account',
        'WEB',
        '--price-source',
        'exact',
        '--prices-include-vat',
      ],
      { status: 200, body: { name: 'Shop' } },
    );
    expect(priced.requests[0]?.body).toEqual({
      channels: { b2c: { defaultAccountCode: 'WEB', priceSource: 'exact', pricesIncludeVat: true } },
    });
    const unset = await run(
      ['set-channel', 'c1', 'b2b', '--warehouse', 'W', '--unset', 'callback-url,prices-include-vat'],
      { status: 200, body: { name: 'Shop' } },
    );
    expect(unset.requests[0]?.body).toEqual({
      channels: { b2b: { warehouseId: 'W', callbackUrl: null, pricesIncludeVat: null } },
    });
    const both = await run(['set-channel', 'c1', 'b2b', '--warehouse', 'W', '--unset', 'warehouse']);
    expect([both.code, both.requests]).toEqual([2, []]);
    const unknownSetting = await run(['set-channel', 'c1', 'b2b', '--unset', 'colour']);
    expect(unknownSetting.err).toContain('unset must be one of default-account, callback-url');
    const wrong = await run(['set-channel', 'c1', 'b2c', '--price-source', 'shop']);
    expect(wrong.err).toContain('price-source must be one of storefront, exact');
  });

  it("prints the api's error code and the fields it names, with exit code 1", async () => {
    const res = await run(['create', 'x'], {
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: 'body.name: must not be empty',
          details: [{ field: 'body.name', message: 'must not be empty' }],
        },
      },
    });
    expect(res.code).toBe(1);
    expect(res.err).toContain('error: body.name: must not be empty [validation_failed, HTTP 400]');
    expect(res.err).toContain('  body.name: must not be empty');
  });

  it('explains when the api cannot be reached', async () => {
    // A port that was just free: nothing listens there.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const io: CliIo = {
      env: { ADMIN_TOKEN: 'operator-token-123456', API_URL: `http://127.0.0.1:${port}` },
      stdout: () => {},
      stderr: (t) => {
        err += t;
      },
    };
    let err = '';
    expect(await runCli(['list'], io)).toBe(1);
    expect(err).toContain(`cannot reach the api at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(err).not.toContain('operator-token-123456');
  });

  it('runs as a program: exit codes reach the shell', () => {
    const tsx = `${repoRoot}node_modules/.bin/tsx`;
    const ok = spawnSync(tsx, ['apps/cli/src/main.ts', '--help'], { cwd: repoRoot, encoding: 'utf8' });
    expect([ok.status, ok.stdout]).toEqual([0, expect.stringContaining('usage: exs <command>')]);
    const bad = spawnSync(tsx, ['apps/cli/src/main.ts', 'status'], { cwd: repoRoot, encoding: 'utf8' });
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('missing <connection-id>')]);
  });
});
