/** One sample of a Prometheus text exposition. */
interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** What a scrape exposes: every sample, and the metric families declared by `# TYPE` lines (even without samples). */
interface Scrape {
  samples: MetricSample[];
  families: Set<string>;
  /** The value of the one sample of `name` whose labels include `labels`; undefined when none matches. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every sample of `name` whose labels include `labels`. */
  find(name: string, labels?: Record<string, string>): MetricSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text format, as `/metrics` of the api and the worker answer it. */
export function parsePrometheus(text: string): Scrape {
  const samples: MetricSample[] = [];
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type?.[1]) families.add(type[1]);
    const m = SAMPLE.exec(line);
    if (!m?.[1] || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const [, key = '', raw = ''] of (m[2] ?? '').matchAll(LABEL)) {
      labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  const find = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    samples,
    families,
    find,
    value(name, labels) {
      const found = find(name, labels);
      if (found.length > 1)
        throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
      return found[0]?.value;
    },
  };
}
