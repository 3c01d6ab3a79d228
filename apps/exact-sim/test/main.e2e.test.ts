import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let child: ChildProcess | undefined;

function start(env: Record<string, string>): ChildProcess {
  const proc = spawn(`${ROOT}node_modules/.bin/tsx`, ['apps/exact-sim/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  return proc;
}

function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    proc.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

afterEach(async () => {
  if (child?.pid && child.exitCode === null) {
    process.kill(-child.pid, 'SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

describe('main.ts', () => {
  it('prints its URL as the first line and serves with the configuration from env', async () => {
    const proc = start({
      SIM_PORT: '0',
      SIM_ITEMS: '10',
      SIM_MINUTE_LIMIT: '9',
      SIM_CONFIG: '{"crudPageSize":5}',
    });
    const line = await firstLine(proc);
    expect(line).toMatch(/^exact-sim listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = line.replace('exact-sim listening on ', '');
    const config = (await (await fetch(`${url}/_sim/config`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ items: 10, minuteLimit: 9, crudPageSize: 5 });
  });

  it('exits with a readable list of bad variables', async () => {
    const proc = start({ SIM_PORT: 'abc', SIM_DAY_LIMIT: '-1' });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const [code] = await once(proc, 'exit');
    expect(code).toBe(1);
    expect(stderr).toMatch(/SIM_PORT/);
    expect(stderr).toMatch(/SIM_DAY_LIMIT/);
  });
});
