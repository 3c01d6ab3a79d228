import { parseArgs } from 'node:util';
import { ConfigError, parseEnv } from '@exact-sync/core';
import { z } from 'zod';
import { ApiError, ApiUnreachableError, createApiClient } from './api-client.ts';
import { COMMANDS, type Command, UsageError } from './commands.ts';

const envSchema = z.object({
  /** Where the api listens. */
  API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('http://127.0.0.1:3000'),
  /** The operator token the api was started with. */
  ADMIN_TOKEN: z.string().min(1),
});

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  fetch?: typeof fetch;
}

const PROGRAM = 'exs';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `usage: ${PROGRAM} <command> [arguments] [--json] [--help]`,
    '',
    'Operator actions on the exact-sync api (connections, authorization, sync, storefront keys).',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'environment:',
    '  API_URL      where the api listens (default http://127.0.0.1:3000)',
    '  ADMIN_TOKEN  the operator token of the api (required)',
    '',
    `Run \`${PROGRAM} <command> --help\` for a command's arguments.`,
  ].join('\n');
}

const commandHelp = (c: Command) => `usage: ${PROGRAM} ${c.usage} [--json]\n\n${c.summary}`;

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const [first = '', second = ''] = argv;
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  return one ? { command: one, rest: argv.slice(1) } : undefined;
}

function describeApiError(error: ApiError): string {
  const lines = [`error: ${error.message} [${error.code}, HTTP ${error.status}]`];
  if (Array.isArray(error.details)) {
    for (const d of error.details as { field?: string; message?: string }[]) {
      if (d.field) lines.push(`  ${d.field}: ${d.message ?? 'is invalid'}`);
    }
  }
  return lines.join('\n');
}

/** Runs one command line; answers the exit code (0 done, 1 the api or network refused, 2 wrong usage or config). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.stderr : io.stdout)(overview());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const twoWords = COMMANDS.some((c) => c.name.startsWith(`${argv[0]} `));
    const word = argv.slice(0, twoWords ? 2 : 1).join(' ');
    io.stderr(`error: unknown command "${word}"\n\n${overview()}`);
    return 2;
  }
  const { command, rest } = found;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help === true) {
      io.stdout(commandHelp(command));
      return 0;
    }
    if (positionals.length < command.args.length) {
      throw new UsageError(`missing <${command.args[positionals.length]}>`);
    }
    if (positionals.length > command.args.length) {
      throw new UsageError(`unexpected argument "${positionals[command.args.length]}"`);
    }
    const api = () => {
      const env = parseEnv(envSchema, io.env);
      return createApiClient({ baseUrl: env.API_URL, adminToken: env.ADMIN_TOKEN, fetch: io.fetch });
    };
    await command.run({ api, print: io.stdout, json: values.json === true }, positionals, values);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`error: ${(error as Error).message}\n${commandHelp(command)}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`error: ${error.message}`);
      return 2;
    }
    if (error instanceof ApiError) {
      io.stderr(describeApiError(error));
      return 1;
    }
    if (error instanceof ApiUnreachableError) {
      io.stderr(`error: ${error.message}`);
      return 1;
    }
    io.stderr(`error: ${(error as Error).message ?? String(error)}`);
    return 1;
  }
}
