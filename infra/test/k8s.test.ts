import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { serviceEnvSchema } from '@exact-sync/core';
import { repoRoot } from '@exact-sync/testkit';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { builtPath, ENTRIES } from '../../scripts/bundle.ts';

// Static checks of infra/k8s: no cluster here, so the manifests are read the way kustomize would assemble them.
const K8S = join(repoRoot, 'infra/k8s');
const INTERFACE = new Set(Object.keys(serviceEnvSchema.shape));
const OUR_IMAGE = 'exact-sync';

type Labels = Record<string, string>;
interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
}
interface PodTemplate {
  metadata: { labels: Labels };
  spec: {
    containers: Container[];
    restartPolicy?: string;
    securityContext?: { runAsNonRoot?: boolean };
  };
}
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Labels };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    selector?: Labels & { matchLabels?: Labels };
    template?: PodTemplate;
    ports?: { name: string; targetPort: string }[];
    scaleTargetRef?: { kind: string; name: string };
    metrics?: { external: { metric: { name: string; selector: { matchLabels: Labels } } } }[];
    endpoints?: {
      port: string;
      path: string;
      authorization?: { type: string; credentials: { name: string; key: string } };
    }[];
  };
}
interface Kustomization {
  resources: string[];
  patches?: { target: { kind: string; name: string }; patch: string }[];
}

const readYaml = (path: string) => parse(readFileSync(path, 'utf8')) as unknown;
const manifestsOf = (path: string): Manifest[] =>
  parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => doc.toJS() as Manifest);

/** The objects a kustomization directory yields, with its patches' targets checked to exist. */
function build(dir: string): Manifest[] {
  const kustomization = readYaml(join(dir, 'kustomization.yaml')) as Kustomization;
  const objects = kustomization.resources.flatMap((resource) => {
    const path = join(dir, resource);
    expect(existsSync(path), `${relative(K8S, path)} is listed but missing`).toBe(true);
    return resource.endsWith('.yaml') ? manifestsOf(path) : build(path);
  });
  for (const { target, patch } of kustomization.patches ?? []) {
    const object = objects.find((o) => o.kind === target.kind && o.metadata.name === target.name);
    expect(object, `patch target ${target.kind}/${target.name}`).toBeDefined();
    for (const op of parse(patch) as { op: string; path: string; value: string }[]) {
      const [, field = '', key = ''] = op.path.split('/');
      const values = (object as unknown as Record<string, Record<string, string>>)[field] ?? {};
      expect(Object.keys(values), `${target.name} ${op.path}`).toContain(key);
      values[key] = op.value;
    }
  }
  return objects;
}

const pods = (objects: Manifest[]) =>
  objects.flatMap((o) => (o.spec?.template ? [{ owner: o, template: o.spec.template }] : []));
const subset = (wanted: Labels, have: Labels) => Object.entries(wanted).every(([k, v]) => have[k] === v);
const base = build(K8S);
const demo = build(join(K8S, 'demo'));
const find = (objects: Manifest[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const container = (objects: Manifest[], deployment: string) => {
  const first = find(objects, 'Deployment', deployment).spec?.template?.spec.containers[0];
  if (!first) throw new Error(`${deployment} has no container`);
  return first;
};

describe('Kubernetes manifests', () => {
  it('list every manifest in a kustomization (none is forgotten)', () => {
    for (const dir of [K8S, join(K8S, 'demo')]) {
      const listed = (readYaml(join(dir, 'kustomization.yaml')) as Kustomization).resources;
      const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
      for (const file of files) expect(listed, `${relative(K8S, join(dir, file))}`).toContain(file);
    }
  });

  it('select pods with every Service (and ServiceMonitor), on ports the pods name', () => {
    const monitors = manifestsOf(join(K8S, 'monitoring/service-monitors.yaml'));
    for (const objects of [base, demo]) {
      const services = objects.filter((o) => o.kind === 'Service');
      expect(services.length).toBeGreaterThan(0);
      for (const service of services) {
        const selector = service.spec?.selector ?? {};
        const matching = pods(objects).filter(({ template }) => subset(selector, template.metadata.labels));
        expect(matching.length, `Service ${service.metadata.name} selects no pod`).toBeGreaterThan(0);
        const portNames = matching.flatMap(({ template }) =>
          template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)),
        );
        for (const port of service.spec?.ports ?? []) expect(portNames).toContain(port.targetPort);
      }
      for (const { owner, template } of pods(objects)) {
        const selector = owner.spec?.selector?.matchLabels;
        if (selector) expect(subset(selector, template.metadata.labels), owner.metadata.name).toBe(true);
      }
    }
    for (const monitor of monitors) {
      const selector = monitor.spec?.selector?.matchLabels ?? {};
      const service = base.find((o) => o.kind === 'Service' && subset(selector, o.metadata.labels ?? {}));
      expect(service, `ServiceMonitor ${monitor.metadata.name}`).toBeDefined();
      const names = (service?.spec?.ports ?? []).map((p) => p.name);
      for (const endpoint of monitor.spec?.endpoints ?? []) expect(names).toContain(endpoint.port);
    }
  });

  it('give the service’s containers interface names only, from a ConfigMap and Secret that exist', () => {
    for (const objects of [base, demo]) {
      for (const { owner, template } of pods(objects)) {
        for (const c of template.spec.containers.filter((c) => c.image === OUR_IMAGE)) {
          const isSim = c.command?.includes('apps/exact-sim/dist/main.js') === true;
          const names = [...(c.env ?? []).map((e) => e.name)];
          for (const source of c.envFrom ?? []) {
            const ref = source.configMapRef ?? source.secretRef;
            const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
            const object = find(objects, kind, ref?.name ?? '');
            names.push(...Object.keys(object.data ?? object.stringData ?? {}));
          }
          for (const name of names) {
            if (isSim) expect(name, owner.metadata.name).toMatch(/^(SIM_[A-Z_]+|LOG_LEVEL)$/);
            else expect(INTERFACE.has(name), `${owner.metadata.name}: ${name}`).toBe(true);
          }
          expect(template.spec.securityContext?.runAsNonRoot, owner.metadata.name).toBe(true);
        }
      }
    }
    // Between them, ConfigMap and Secret set every variable of the interface.
    const config = find(base, 'ConfigMap', 'exact-sync-config').data ?? {};
    const secret = find(base, 'Secret', 'exact-sync-secrets').stringData ?? {};
    expect([...Object.keys(config), ...Object.keys(secret)].sort()).toEqual([...INTERFACE].sort());
  });

  it('ship placeholders, clearly marked, instead of secrets', () => {
    const secret = find(base, 'Secret', 'exact-sync-secrets').stringData ?? {};
    for (const [key, value] of Object.entries(secret)) expect(value, key).toContain('REPLACE_ME');
    // The demo replaces every one of them.
    const demoSecret = find(demo, 'Secret', 'exact-sync-secrets').stringData ?? {};
    for (const [key, value] of Object.entries(demoSecret)) expect(value, key).not.toContain('REPLACE_ME');
  });

  it('scrape /metrics with the read-only METRICS_TOKEN from the Secret, never ADMIN_TOKEN', () => {
    const monitors = manifestsOf(join(K8S, 'monitoring/service-monitors.yaml'));
    const endpoints = monitors.flatMap((m) => m.spec?.endpoints ?? []);
    expect(monitors.map((m) => m.metadata.name)).toEqual(['exact-sync-api', 'exact-sync-worker']);
    expect(endpoints.length).toBe(2);
    for (const endpoint of endpoints) {
      expect(endpoint.path).toBe('/metrics');
      expect(endpoint.authorization).toEqual({
        type: 'Bearer',
        credentials: { name: 'exact-sync-secrets', key: 'METRICS_TOKEN' },
      });
    }
    expect(readFileSync(join(K8S, 'monitoring/service-monitors.yaml'), 'utf8')).not.toMatch(
      /key: ADMIN_TOKEN/,
    );
    // The Secret has the key, and the demo gives it a value of its own, not the admin token's.
    expect(Object.keys(find(base, 'Secret', 'exact-sync-secrets').stringData ?? {})).toContain(
      'METRICS_TOKEN',
    );
    const demoSecret = find(demo, 'Secret', 'exact-sync-secrets').stringData ?? {};
    expect(demoSecret.METRICS_TOKEN).toBeDefined();
    expect(demoSecret.METRICS_TOKEN).not.toBe(demoSecret.ADMIN_TOKEN);
  });

  it('run the migration in a Job, with the database URL from the Secret', () => {
    const job = find(base, 'Job', 'exact-sync-migrate').spec?.template;
    const migrate = job?.spec.containers[0];
    expect(migrate?.command).toEqual(['node', '--enable-source-maps', 'packages/db/dist/migrate.cli.js']);
    expect(['OnFailure', 'Never']).toContain(job?.spec.restartPolicy);
    expect(migrate?.env).toEqual([
      {
        name: 'DATABASE_URL',
        valueFrom: { secretKeyRef: { name: 'exact-sync-secrets', key: 'DATABASE_URL' } },
      },
    ]);
  });

  it('probe api and worker on the ports they listen on (API_PORT, WORKER_PORT), on every interface of the pod', () => {
    const config = find(base, 'ConfigMap', 'exact-sync-config').data ?? {};
    // The apps default to loopback, which the kubelet's probes and the Services cannot reach.
    expect(config.API_HOST).toBe('0.0.0.0');
    expect(config.WORKER_HOST).toBe('0.0.0.0');
    for (const [deployment, portVariable] of [
      ['exact-sync-api', 'API_PORT'],
      ['exact-sync-worker', 'WORKER_PORT'],
    ] as const) {
      const c = container(base, deployment);
      expect(c.ports).toEqual([{ name: 'http', containerPort: Number(config[portVariable]) }]);
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    }
    expect(container(base, 'exact-sync-worker').command).toEqual([
      'node',
      '--enable-source-maps',
      'apps/worker/dist/main.js',
    ]);
    expect(container(base, 'exact-sync-api').command).toEqual([
      'node',
      '--enable-source-maps',
      'apps/api/dist/server.js',
    ]);
  });

  it('run the built JavaScript with node in every container of the image: a file `pnpm build` makes', () => {
    const built = ENTRIES.map(builtPath);
    const ours = [...base, ...demo].flatMap((o) =>
      (o.spec?.template?.spec.containers ?? []).filter((c) => c.image === OUR_IMAGE),
    );
    // base: migrate, api, worker; the demo: the same and the simulator.
    expect(ours.map((c) => c.name).sort()).toEqual([
      'api',
      'api',
      'exact-sim',
      'migrate',
      'migrate',
      'worker',
      'worker',
    ]);
    for (const c of ours) {
      const [node, sourceMaps, file] = c.command ?? [];
      expect([node, sourceMaps], c.name).toEqual(['node', '--enable-source-maps']);
      expect(built, c.name).toContain(file);
    }
  });

  it('scale the worker Deployment on the queue depth that prometheus-adapter serves', () => {
    const hpa = find(base, 'HorizontalPodAutoscaler', 'exact-sync-worker');
    expect(hpa.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'exact-sync-worker' });
    const metrics = (hpa.spec?.metrics ?? []).map((m) => m.external.metric);
    expect(metrics.map((m) => m.selector.matchLabels)).toEqual([
      { queue: 'sync', state: 'waiting' },
      { queue: 'orders', state: 'waiting' },
    ]);
    const adapter = readYaml(join(K8S, 'monitoring/prometheus-adapter-values.yaml')) as {
      rules: { external: { name: { as: string }; seriesQuery: string }[] };
    };
    const served = adapter.rules.external.map((r) => r.name.as);
    for (const metric of metrics) expect(served).toContain(metric.name);
    expect(adapter.rules.external[0]?.seriesQuery).toContain('exs_queue_jobs');
  });
});
