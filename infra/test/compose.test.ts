import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv, serviceEnvSchema } from '@exact-sync/core';
import { repoRoot } from '@exact-sync/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtPath, ENTRIES } from '../../scripts/bundle.ts';

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
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string | number>;
  // docker-compose 1.29 prints a port with a host address in the short form ("127.0.0.1:9090:9090/tcp").
  ports?: ({ published: number; target: number } | string)[];
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
    expect(all.migrate?.command).toEqual(['node', '--enable-source-maps', 'packages/db/dist/migrate.cli.js']);
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

  it('runs the built JavaScript with node: each command of the image is a file `pnpm build` makes', () => {
    const built = ENTRIES.map(builtPath);
    for (const name of ['api', 'worker', 'migrate', 'exact-sim']) {
      const [node, sourceMaps, file] = withSecrets()[name]?.command ?? [];
      expect([node, sourceMaps], name).toEqual(['node', '--enable-source-maps']);
      expect(built, name).toContain(file);
    }
  });

  it('lets workers scale (no container name, no host port) and host ports be overridden', () => {
    const all = services({ ...SECRETS, API_PORT: '8088', SIM_PORT: '7171' });
    expect(all.worker?.container_name).toBeUndefined();
    expect(all.worker?.ports).toBeUndefined();
    expect(all.api?.ports).toEqual([{ published: 8088, target: 3000 }]);
    expect(all['exact-sim']?.ports).toEqual(['127.0.0.1:7171:7070/tcp']);
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

/**
 * A service's `sh -c` script as its container would run it (compose's `$$` is a literal `$`), with the given parts
 * replaced so it can run here; each part must be in the script, so the test runs what the container would.
 */
function containerScript(service: ComposeService | undefined, replace: Record<string, string>): string {
  expect(service?.entrypoint).toEqual(['/bin/sh', '-c']);
  let script = (service?.command?.[0] ?? '').replaceAll('$$', '$');
  for (const [from, to] of Object.entries(replace)) {
    expect(script).toContain(from);
    script = script.replaceAll(from, to);
  }
  return script;
}

const runScript = (script: string, env: Record<string, string>) =>
  spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });

describe.skipIf(!hasCompose)(`${composeSuite}: monitoring and exposure`, () => {
  it('publishes Prometheus, Grafana and the simulator on 127.0.0.1 only, on ports that can be overridden', () => {
    const all = services({ ...SECRETS, PROMETHEUS_PORT: '19090', GRAFANA_PORT: '13002', SIM_PORT: '17070' });
    expect(all.prometheus?.ports).toEqual(['127.0.0.1:19090:9090/tcp']);
    expect(all.grafana?.ports).toEqual(['127.0.0.1:13002:3000/tcp']);
    expect(all['exact-sim']?.ports).toEqual(['127.0.0.1:17070:7070/tcp']);
    // Only the api, the service's edge, is offered to other machines; Postgres and Redis publish nothing.
    for (const [name, service] of Object.entries(withSecrets())) {
      for (const port of service.ports ?? []) {
        if (name !== 'api') expect(port, name).toMatch(/^127\.0\.0\.1:/);
      }
    }
    expect(withSecrets().postgres?.ports).toBeUndefined();
    expect(withSecrets().redis?.ports).toBeUndefined();
  });

  it('gives Grafana no default password: its container refuses to start without one, or with "admin"', () => {
    expect(withSecrets().grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe('');
    const set = services({ ...SECRETS, GRAFANA_ADMIN_PASSWORD: 'grafana-password-42' });
    expect(set.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe('grafana-password-42');
    // The check runs before the image's own entrypoint, which it then becomes.
    const script = containerScript(set.grafana, { 'exec /run.sh': 'echo grafana-started' });
    for (const password of ['', 'admin']) {
      const run = runScript(script, { GF_SECURITY_ADMIN_PASSWORD: password });
      expect(run.status, password).toBe(1);
      expect(run.stderr).toContain('set GRAFANA_ADMIN_PASSWORD');
      expect(run.stdout).not.toContain('grafana-started');
    }
    const run = runScript(script, { GF_SECURITY_ADMIN_PASSWORD: 'grafana-password-42' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('grafana-started');
  });

  it('lets Prometheus scrape with METRICS_TOKEN only, never holding ADMIN_TOKEN', () => {
    const metricsToken = 'compose-metrics-token-0123456789';
    const prometheus = services({ ...SECRETS, METRICS_TOKEN: metricsToken }).prometheus;
    expect(prometheus?.environment).toEqual({ METRICS_TOKEN: metricsToken });
    expect(JSON.stringify(prometheus)).not.toContain(SECRETS.ADMIN_TOKEN);
    expect(JSON.stringify(prometheus)).not.toContain('$ADMIN_TOKEN');

    // Every scrape job reads the file the container writes METRICS_TOKEN to.
    const config = parse(readFileSync(`${repoRoot}infra/prometheus/prometheus.yml`, 'utf8')) as {
      scrape_configs: { job_name: string; authorization?: { credentials_file?: string } }[];
    };
    expect(config.scrape_configs.map((job) => job.job_name)).toEqual(['exact-sync-api', 'exact-sync-worker']);
    for (const job of config.scrape_configs) {
      expect(job.authorization?.credentials_file, job.job_name).toBe('/prometheus/metrics-token');
    }

    const tokenDir = mkdtempSync(join(dir, 'prometheus-'));
    writeFileSync(join(tokenDir, 'admin-token'), SECRETS.ADMIN_TOKEN);
    const script = containerScript(prometheus, {
      '/prometheus/metrics-token': join(tokenDir, 'metrics-token'),
      '/prometheus/admin-token': join(tokenDir, 'admin-token'),
      'exec /bin/prometheus --config.file=/etc/prometheus/prometheus.yml': 'exec true',
    });
    const refused = runScript(script, { METRICS_TOKEN: '' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('set METRICS_TOKEN');
    expect(existsSync(join(tokenDir, 'metrics-token'))).toBe(false);

    expect(runScript(script, { METRICS_TOKEN: metricsToken }).status).toBe(0);
    expect(readFileSync(join(tokenDir, 'metrics-token'), 'utf8')).toBe(metricsToken);
    // The admin token that earlier versions left in the volume is gone.
    expect(existsSync(join(tokenDir, 'admin-token'))).toBe(false);
  });

  it('validates without the monitoring secrets, which only the monitoring containers need', () => {
    const run = compose(SECRETS, '--profile', 'monitoring', 'config', '-q');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('infra/docker/Dockerfile', () => {
  const dockerfile = readFileSync(`${repoRoot}infra/docker/Dockerfile`, 'utf8');
  const root = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { packageManager: string };
  const stages = Object.fromEntries(
    dockerfile
      .split(/^(?=FROM )/m)
      .slice(1)
      .map((text) => [/^FROM \S+ AS (\S+)/.exec(text)?.[1] ?? '', text]),
  );
  const runtime = stages.runtime ?? '';

  it('installs from the frozen lockfile with the pinned pnpm, and builds in a stage of its own', () => {
    expect(Object.keys(stages)).toEqual(['base', 'manifests', 'deps', 'build', 'runtime']);
    expect(dockerfile).toContain(`pnpm@${root.packageManager.replace('pnpm@', '')}`);
    expect(stages.deps).toMatch(/^RUN pnpm install --frozen-lockfile --prod$/m);
    expect(stages.build).toMatch(/^RUN pnpm install --frozen-lockfile$/m);
    expect(stages.build).toMatch(/^RUN pnpm build$/m);
  });

  it('runs the build with node, as a non-root user, with production dependencies and no tsx, pnpm or sources', () => {
    expect(runtime).toMatch(/^COPY --from=deps \/app \/app$/m);
    for (const entry of ENTRIES) {
      const dist = builtPath(entry).replace(/\/[^/]+$/, '');
      expect(runtime, dist).toContain(`COPY --from=build /app/${dist} ./${dist}\n`);
    }
    expect(runtime).not.toMatch(/tsx|pnpm/);
    expect(runtime).not.toMatch(/^COPY (?!--from)/m);
    expect(runtime).toMatch(/^CMD \["node", "--enable-source-maps", "apps\/api\/dist\/server\.js"\]$/m);
    expect(runtime).toMatch(/^USER node$/m);
    // A build left in the working tree stays out of the context; the image makes its own.
    expect(readFileSync(`${repoRoot}.dockerignore`, 'utf8')).toMatch(/^\*\*\/dist$/m);
  });

  it('listens on every interface of the container, since loopback there is out of reach of anyone else', () => {
    expect(runtime).toMatch(/^ENV API_HOST=0\.0\.0\.0 \\\n\s+WORKER_HOST=0\.0\.0\.0$/m);
  });

  it('copies what the frozen install reads before installing: every workspace manifest, and the patches', () => {
    const manifests = execFileSync('git', ['ls-files', '*package.json'], { cwd: repoRoot, encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((path) => path !== 'package.json');
    expect(manifests.length).toBeGreaterThan(5);
    for (const path of manifests) expect(stages.manifests, path).toContain(`COPY ${path} `);
    const workspace = parse(readFileSync(`${repoRoot}pnpm-workspace.yaml`, 'utf8')) as {
      patchedDependencies?: Record<string, string>;
    };
    const patches = Object.values(workspace.patchedDependencies ?? {});
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) expect(patch).toMatch(/^patches\//);
    expect(stages.manifests).toMatch(/^COPY patches \.\/patches$/m);
  });
});
