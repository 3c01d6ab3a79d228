import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv, serviceEnvSchema } from '@exact-sync/core';
import { repoRoot } from '@exact-sync/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// docker-compose.yml is validated by Debian's docker-compose 1.29 (`apt-get install -y docker-compose`); no Docker
// engine is needed. Without the binary the validation is skipped and says so; the static checks always run.
const COMPOSE = 'docker-compose';
const hasCompose = spawnSync(COMPOSE, ['version'], { stdio: 'ignore' }).status === 0;
const INTERFACE = Object.keys(serviceEnvSchema.shape).sort();
const SECRETS = {
  ADMIN_TOKEN: 'compose-admin-token-0123456789',
  TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
  EXACT_CLIENT_ID: 'client',
  EXACT_CLIENT_SECRET: 'secret',
};
const dir = mkdtempSync(join(tmpdir(), 'compose-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: { published: number; target: number }[];
  expose?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  container_name?: string;
  profiles?: string[];
}

/** `docker-compose config` with only the given variables (an env file replaces the repository's .env). */
function compose(vars: Record<string, string>, ...args: string[]) {
  const envFile = join(dir, `${Object.keys(vars).join('-') || 'none'}.env`);
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  return spawnSync(COMPOSE, ['-f', 'docker-compose.yml', '--env-file', envFile, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });
}

function services(vars: Record<string, string>): Record<string, ComposeService> {
  const run = compose(vars, 'config');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return (parse(run.stdout) as { services: Record<string, ComposeService> }).services;
}

// docker-compose takes a second or two to start: the rendering with the secrets is shared by the tests below.
let rendered: Record<string, ComposeService> | undefined;
const withSecrets = () => {
  rendered ??= services(SECRETS);
  return rendered;
};

const composeSuite = hasCompose
  ? 'docker-compose.yml'
  : 'docker-compose.yml (skipped: docker-compose is not installed; apt-get install -y docker-compose)';

describe.skipIf(!hasCompose)(composeSuite, () => {
  it('is valid, and refuses to start without the secrets, naming them', () => {
    expect(compose(SECRETS, 'config', '-q').status).toBe(0);
    const { ADMIN_TOKEN: _missing, ...withoutToken } = SECRETS;
    const run = compose(withoutToken, 'config', '-q');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('set ADMIN_TOKEN');
  });

  it('gives api and worker every interface variable, which the apps accept as configuration', () => {
    const all = services(SECRETS);
    for (const name of ['api', 'worker']) {
      const env = all[name]?.environment ?? {};
      expect(Object.keys(env).sort(), name).toEqual(INTERFACE);
      const config = parseEnv(
        serviceEnvSchema,
        Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      );
      expect(config.DATABASE_URL).toBe('postgres://postgres:postgres@postgres:5432/exact_sync');
    }
  });

  it('runs the migration once before api and workers, with healthchecks on every long-running service', () => {
    const all = withSecrets();
    expect(all.migrate?.command).toEqual(['pnpm', 'db:migrate']);
    for (const name of ['api', 'worker']) {
      expect(all[name]?.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
    }
    for (const [name, service] of Object.entries(all)) {
      if (name !== 'migrate') expect(service.healthcheck?.test.length, name).toBeGreaterThan(0);
    }
    // api, worker, migrate and the simulator run one image.
    const images = new Set(['api', 'worker', 'migrate', 'exact-sim'].map((s) => all[s]?.image));
    expect([...images]).toEqual(['exact-sync:local']);
  });

  it('lets workers scale (no container name, no host port) and host ports be overridden', () => {
    const all = services({ ...SECRETS, API_PORT: '8088', SIM_PORT: '7171' });
    expect(all.worker?.container_name).toBeUndefined();
    expect(all.worker?.ports).toBeUndefined();
    expect(all.api?.ports).toEqual([{ published: 8088, target: 3000 }]);
    expect(all['exact-sim']?.ports).toEqual([{ published: 7171, target: 7070 }]);
    // The containers keep their own ports whatever the host uses, on every interface of the container (the apps'
    // default, loopback, is out of reach of the published port and of Prometheus).
    expect(all.api?.environment?.API_PORT).toBe(3000);
    expect(all.worker?.environment?.WORKER_PORT).toBe(3001);
    for (const name of ['api', 'worker']) {
      expect(all[name]?.environment?.API_HOST, name).toBe('0.0.0.0');
      expect(all[name]?.environment?.WORKER_HOST, name).toBe('0.0.0.0');
    }
  });

  it('keeps the simulator and the monitoring behind profiles', () => {
    const profiles = Object.entries(withSecrets()).map(([name, s]) => [name, s.profiles ?? []]);
    expect(Object.fromEntries(profiles)).toEqual({
      postgres: [],
      redis: [],
      migrate: [],
      api: [],
      worker: [],
      'exact-sim': ['demo'],
      prometheus: ['monitoring'],
      grafana: ['monitoring'],
    });
  });

  it('runs the demo against the simulator with infra/compose/demo.env', () => {
    const run = spawnSync(
      COMPOSE,
      ['-f', 'docker-compose.yml', '--env-file', 'infra/compose/demo.env', '--profile', 'demo', 'config'],
      { cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
    );
    expect(run.status).toBe(0);
    const all = (parse(run.stdout) as { services: Record<string, ComposeService> }).services;
    expect(all.api?.environment?.EXACT_BASE_URL).toBe('http://exact-sim:7070');
    expect(all['exact-sim']?.environment?.SIM_CLIENT_ID).toBe(all.api?.environment?.EXACT_CLIENT_ID);
    expect(all['exact-sim']?.environment?.SIM_HOST).toBe('0.0.0.0');
  });
});

describe('infra/docker/Dockerfile', () => {
  const dockerfile = readFileSync(`${repoRoot}infra/docker/Dockerfile`, 'utf8');
  const root = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as {
    packageManager: string;
    devDependencies: Record<string, string>;
  };

  it('builds in stages with the pinned pnpm and tsx, from the frozen lockfile, and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toContain(`pnpm@${root.packageManager.replace('pnpm@', '')}`);
    expect(dockerfile).toContain(`tsx@${root.devDependencies.tsx}`);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('listens on every interface of the container, since loopback there is out of reach of anyone else', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^ENV API_HOST=0\.0\.0\.0 \\\n\s+WORKER_HOST=0\.0\.0\.0$/m);
  });

  it('copies the manifest of every workspace package before installing (or the frozen install fails)', () => {
    const manifests = execFileSync('git', ['ls-files', '*package.json'], { cwd: repoRoot, encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((path) => path !== 'package.json');
    expect(manifests.length).toBeGreaterThan(5);
    for (const path of manifests) expect(dockerfile, path).toContain(`COPY ${path} `);
  });
});
