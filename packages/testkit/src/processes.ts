import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, so tests can start the apps' entry points wherever vitest was launched. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = `${repoRoot}node_modules/.bin/tsx`;

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr), for assertions and for failure messages. */
  output(): string;
  /** Stops the process group: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash would. */
  kill(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  /** Resolves once a line of output matches; its first capture group becomes `match`. */
  ready: RegExp;
  timeoutMs?: number;
  /**
   * Runs a TypeScript entry through tsx's CLI (a node parent relaying signals to the app's node) instead of one node
   * process with tsx's loader. Only for measuring that setup: under CPU load the parent gives the app 30 ms to take a
   * signal, then kills it and exits 143, so a graceful stop cannot be asserted through it.
   */
  tsxCli?: boolean;
}

/**
 * Starts an entry point (path relative to the repository root) in its own process group: TypeScript source with
 * node and tsx's loader, built JavaScript (`pnpm build`, a `.js` path) with node, as production runs it.
 */
export async function startEntry(
  entry: string,
  options: StartOptions,
): Promise<RunningProcess & { match: string }> {
  const [command, args] = entry.endsWith('.js')
    ? [process.execPath, ['--enable-source-maps', `${repoRoot}${entry}`]]
    : options.tsxCli
      ? [tsx, [`${repoRoot}${entry}`]]
      : [process.execPath, ['--import', 'tsx', `${repoRoot}${entry}`]];
  const child = spawn(command, args, {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // the group is already gone
    }
  };
  const running: RunningProcess = {
    child,
    output: () => out,
    async stop(graceMs = 10_000) {
      await signal('SIGTERM');
      const timer = setTimeout(() => void signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      await signal('SIGKILL');
      await exited;
    },
  };
  const match = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void running.kill();
      reject(new Error(`${entry} did not become ready in time; output:\n${out}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = options.ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? m[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready; output:\n${out}`));
    });
  });
  return { ...running, match };
}

/** Where `pnpm build` puts an entry point (scripts/bundle.ts): `apps/api/src/server.ts` → `apps/api/dist/server.js`. */
export const builtEntry = (source: string): string => source.replace(/\/src\/(.*)\.ts$/, '/dist/$1.js');

/** Starts apps/exact-sim on a free port (its build with `built`); `url` is its base URL. */
export async function startSimulator(
  env: Record<string, string> = {},
  options: { built?: boolean } = {},
): Promise<RunningProcess & { url: string }> {
  const source = 'apps/exact-sim/src/main.ts';
  const proc = await startEntry(options.built ? builtEntry(source) : source, {
    env: { SIM_PORT: '0', LOG_LEVEL: 'warn', ...env },
    ready: /exact-sim listening on (http:\/\/\S+)/,
  });
  return { ...proc, url: proc.match };
}
