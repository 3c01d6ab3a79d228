import type { ParseArgsConfig } from 'node:util';
import { CHANNELS, ENTITY_NAMES } from '@exact-sync/core';
import type { ApiClient } from './api-client.ts';
import { type ConnectionAnswer, formatConnections, formatStatus, type StatusAnswer } from './format.ts';

/** A mistake in how the command was called: the CLI prints it with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

interface CommandContext {
  /** The api client; reading API_URL and ADMIN_TOKEN only when a command needs them keeps `--help` working. */
  api(): ApiClient;
  print(text: string): void;
  json: boolean;
}

export interface Command {
  /** One or two words: `status`, `keys create`. */
  name: string;
  args: string[];
  usage: string;
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  run(ctx: CommandContext, args: string[], values: Values): Promise<void>;
}

const str = (values: Values, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

function integer(values: Values, name: string): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, got "${v}"`);
  return Number(v);
}

const PRICE_SOURCES = ['storefront', 'exact'] as const;

/** `set-channel`'s options by the channel setting each one sets (what `--unset` names). */
const CHANNEL_SETTINGS = {
  'default-account': 'defaultAccountCode',
  'callback-url': 'callbackUrl',
  'price-source': 'priceSource',
  'prices-include-vat': 'pricesIncludeVat',
  warehouse: 'warehouseId',
} as const;

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${what} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

const id = (args: string[]) => encodeURIComponent(args[0] ?? '');
const show = (ctx: CommandContext, answer: unknown, text: () => string) =>
  ctx.print(ctx.json ? JSON.stringify(answer, null, 2) : text());

/** Printed with a signing secret: it is shown once, and a storefront needs it to check its callbacks. */
const secretNote = (channel: string, secret: string) =>
  `Signing secret of the ${channel} callbacks; shown only now, give it to the storefront:\n  ${secret}`;

async function patch(ctx: CommandContext, args: string[], body: unknown, done: string): Promise<void> {
  type Patched = ConnectionAnswer & { callbackSecrets?: Record<string, string> };
  const answer = await ctx.api().request<Patched>('PATCH', `/v1/connections/${id(args)}`, body);
  show(ctx, answer, () =>
    [
      `${answer.name}: ${done}`,
      ...Object.entries(answer.callbackSecrets ?? {}).map(([channel, secret]) => secretNote(channel, secret)),
    ].join('\n'),
  );
}

export const COMMANDS: Command[] = [
  {
    name: 'list',
    args: [],
    usage: 'list',
    summary: 'List connections',
    async run(ctx) {
      const answer = await ctx.api().request<{ data: ConnectionAnswer[] }>('GET', '/v1/connections');
      show(ctx, answer, () => formatConnections(answer.data));
    },
  },
  {
    name: 'create',
    args: ['name'],
    usage: 'create <name> [--division <code>] [--exact-base-url <url>]',
    summary: 'Create a connection and print the link that authorizes it in Exact',
    options: { division: { type: 'string' }, 'exact-base-url': { type: 'string' } },
    async run(ctx, args, values) {
      const body = {
        name: args[0],
        division: integer(values, 'division'),
        exactBaseUrl: str(values, 'exact-base-url'),
      };
      const answer = await ctx
        .api()
        .request<{ id: string; authorizeUrl: string }>('POST', '/v1/connections', body);
      show(
        ctx,
        answer,
        () =>
          `Created connection ${answer.id}\nOpen this link in a browser within 15 minutes and log in to Exact:\n  ${answer.authorizeUrl}`,
      );
    },
  },
  {
    name: 'authorize-link',
    args: ['connection-id'],
    usage: 'authorize-link <connection-id>',
    summary: 'Print a new authorize link (first authorization, or again after needs_reauth)',
    async run(ctx, args) {
      const answer = await ctx
        .api()
        .request<{ authorizeUrl: string }>('POST', `/v1/connections/${id(args)}/reauthorize`);
      show(ctx, answer, () => `Open this link in a browser within 15 minutes:\n  ${answer.authorizeUrl}`);
    },
  },
  {
    name: 'status',
    args: ['connection-id'],
    usage: 'status <connection-id>',
    summary: 'Sync progress, budget left, orders by state, and whether it needs re-authorization',
    async run(ctx, args) {
      const answer = await ctx.api().request<StatusAnswer>('GET', `/v1/connections/${id(args)}/status`);
      show(ctx, answer, () => formatStatus(answer));
    },
  },
  {
    name: 'pause',
    args: ['connection-id'],
    usage: 'pause <connection-id>',
    summary: 'Stop syncing and submitting for a connection',
    run: (ctx, args) => patch(ctx, args, { paused: true }, 'paused'),
  },
  {
    name: 'resume',
    args: ['connection-id'],
    usage: 'resume <connection-id>',
    summary: 'Resume a paused connection',
    run: (ctx, args) => patch(ctx, args, { paused: false }, 'resumed'),
  },
  {
    name: 'set-channel',
    args: ['connection-id', 'channel'],
    usage:
      'set-channel <connection-id> <b2b|b2c> [--default-account <code>] [--callback-url <url>] ' +
      '[--price-source <storefront|exact>] [--prices-include-vat] [--warehouse <exact warehouse id>] ' +
      `[--unset <${Object.keys(CHANNEL_SETTINGS).join('|')}>[,...]]`,
    summary:
      "Change a channel's settings, only those given; --unset removes some (B2C needs the account its orders are " +
      'booked on; who prices its orders, whether its prices include VAT, the warehouse its orders name)',
    options: {
      'default-account': { type: 'string' },
      'callback-url': { type: 'string' },
      'price-source': { type: 'string' },
      'prices-include-vat': { type: 'boolean' },
      warehouse: { type: 'string' },
      unset: { type: 'string' },
    },
    async run(ctx, args, values) {
      const channel = oneOf(args[1] ?? '', CHANNELS, 'channel');
      const priceSource = str(values, 'price-source');
      const settings: Record<string, string | boolean | null | undefined> = {
        defaultAccountCode: str(values, 'default-account'),
        callbackUrl: str(values, 'callback-url'),
        priceSource:
          priceSource === undefined ? undefined : oneOf(priceSource, PRICE_SOURCES, 'price-source'),
        pricesIncludeVat: values['prices-include-vat'] === true ? true : undefined,
        warehouseId: str(values, 'warehouse'),
      };
      const names = Object.keys(CHANNEL_SETTINGS) as (keyof typeof CHANNEL_SETTINGS)[];
      for (const given of (str(values, 'unset') ?? '').split(',').filter((s) => s !== '')) {
        const option = oneOf(given.trim(), names, 'unset');
        if (settings[CHANNEL_SETTINGS[option]] !== undefined) {
          throw new UsageError(`--${option} and --unset ${option} contradict each other`);
        }
        settings[CHANNEL_SETTINGS[option]] = null;
      }
      await patch(ctx, args, { channels: { [channel]: settings } }, `${channel} settings saved`);
    },
  },
  {
    name: 'target-lag',
    args: ['connection-id', 'entity', 'seconds'],
    usage: `target-lag <connection-id> <${ENTITY_NAMES.join('|')}> <seconds|default>`,
    summary: 'Set how stale an entity may get; the planner polls it that often when the budget allows',
    async run(ctx, args) {
      const entity = oneOf(args[1] ?? '', ENTITY_NAMES, 'entity');
      const given = args[2] ?? '';
      if (given !== 'default' && !/^\d+$/.test(given)) {
        throw new UsageError(`seconds must be a whole number or "default", got "${given}"`);
      }
      const targetLagSeconds = given === 'default' ? null : Number(given);
      const done = `${entity} target lag ${targetLagSeconds === null ? 'back to the default' : `${given} s`}`;
      await patch(ctx, args, { entities: { [entity]: { targetLagSeconds } } }, done);
    },
  },
  {
    name: 'entity',
    args: ['connection-id', 'entity', 'state'],
    usage: `entity <connection-id> <${ENTITY_NAMES.join('|')}> <on|off|default>`,
    summary: 'Switch syncing an entity on or off (on again re-reads it in full)',
    async run(ctx, args) {
      const entity = oneOf(args[1] ?? '', ENTITY_NAMES, 'entity');
      const state = oneOf(args[2] ?? '', ['on', 'off', 'default'] as const, 'state');
      const enabled = state === 'default' ? null : state === 'on';
      const done = `${entity} ${state === 'default' ? 'back to its default' : `switched ${state}`}`;
      await patch(ctx, args, { entities: { [entity]: { enabled } } }, done);
    },
  },
  {
    name: 'callback-secret rotate',
    args: ['connection-id', 'channel'],
    usage: 'callback-secret rotate <connection-id> <b2b|b2c>',
    summary:
      "New signing secret for a channel's callbacks (printed once); the old one also signs for 24 hours",
    async run(ctx, args) {
      const channel = oneOf(args[1] ?? '', CHANNELS, 'channel');
      const path = `/v1/connections/${id(args)}/channels/${channel}/callback-secret`;
      const answer = await ctx.api().request<{ secret: string }>('POST', path);
      show(
        ctx,
        answer,
        () =>
          `${secretNote(channel, answer.secret)}\nCallbacks carry both signatures for 24 hours (v1=new,v1=old); then only the new one.`,
      );
    },
  },
  {
    name: 'delete',
    args: ['connection-id'],
    usage: 'delete <connection-id> [--force]',
    summary: 'Delete a connection and its data (--force even with orders not yet in Exact)',
    options: { force: { type: 'boolean' } },
    async run(ctx, args, values) {
      const query = values.force === true ? '?force=true' : '';
      await ctx.api().request('DELETE', `/v1/connections/${id(args)}${query}`);
      show(ctx, { deleted: args[0] }, () => `Deleted connection ${args[0]}`);
    },
  },
  {
    name: 'sync',
    args: ['connection-id'],
    usage: `sync <connection-id> [--entity <${ENTITY_NAMES.join('|')}>]... [--full]`,
    summary: 'Sync now (all entities unless named; --full re-reads everything)',
    options: { entity: { type: 'string', multiple: true }, full: { type: 'boolean' } },
    async run(ctx, args, values) {
      const given = Array.isArray(values.entity) ? values.entity.map(String) : [];
      const entities = given.map((e) => oneOf(e, ENTITY_NAMES, '--entity'));
      const body = {
        ...(entities.length ? { entities } : {}),
        ...(values.full === true ? { full: true } : {}),
      };
      const answer = await ctx
        .api()
        .request<{ enqueued: string[] }>('POST', `/v1/connections/${id(args)}/sync`, body);
      show(
        ctx,
        answer,
        () => `Sync queued: ${answer.enqueued.join(', ')}${values.full === true ? ' (full)' : ''}`,
      );
    },
  },
  {
    name: 'keys create',
    args: ['connection-id'],
    usage: 'keys create <connection-id> --channel <b2b|b2c>',
    summary: 'Create a storefront API key (printed once: store it now)',
    options: { channel: { type: 'string' } },
    async run(ctx, args, values) {
      const given = str(values, 'channel');
      if (given === undefined) throw new UsageError('--channel is required (b2b or b2c)');
      const channel = oneOf(given, CHANNELS, '--channel');
      const answer = await ctx
        .api()
        .request<{ id: string; key: string }>('POST', `/v1/connections/${id(args)}/api-keys`, { channel });
      show(ctx, answer, () => `Key ${answer.id} (${channel}); shown only now:\n  ${answer.key}`);
    },
  },
  {
    name: 'keys list',
    args: ['connection-id'],
    usage: 'keys list <connection-id>',
    summary: "List a connection's storefront keys (never the keys themselves)",
    async run(ctx, args) {
      type Key = { id: string; channel: string; prefix: string; revokedAt: string | null };
      const answer = await ctx.api().request<{ data: Key[] }>('GET', `/v1/connections/${id(args)}/api-keys`);
      show(ctx, answer, () =>
        answer.data.length === 0
          ? 'no keys'
          : answer.data
              .map(
                (k) =>
                  `${k.id}  ${k.channel}  ${k.prefix}…  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`,
              )
              .join('\n'),
      );
    },
  },
  {
    name: 'keys revoke',
    args: ['key-id'],
    usage: 'keys revoke <key-id>',
    summary: 'Revoke a storefront key; it stops working at once',
    async run(ctx, args) {
      await ctx.api().request('DELETE', `/v1/api-keys/${id(args)}`);
      show(ctx, { revoked: args[0] }, () => `Revoked key ${args[0]}`);
    },
  },
];
