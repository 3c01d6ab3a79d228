import { describe, expect, it } from 'vitest';
import { metricNamesOf } from './promql-names.ts';

describe('metric names of a PromQL expression', () => {
  it('finds the metrics, not functions, labels, grouping lists or Grafana variables', () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.95, sum by (le, lane) (rate(exs_exact_call_duration_seconds_bucket{lane=~"$lane"}[$__rate_interval])))',
      ),
    ).toEqual(['exs_exact_call_duration_seconds_bucket']);
    expect(
      metricNamesOf(
        'max by (connection_id) (exs_sync_lag_seconds) * on (connection_id) group_left (name) max by (connection_id, name) (exs_connection_info)',
      ),
    ).toEqual(['exs_sync_lag_seconds', 'exs_connection_info']);
    expect(metricNamesOf('exs_budget_remaining / exs_budget_limit > bool 0.1e1 unless up')).toEqual([
      'exs_budget_remaining',
      'exs_budget_limit',
      'up',
    ]);
  });

  it('reads the metric of a Grafana label_values query', () => {
    expect(metricNamesOf('label_values(exs_budget_limit, budget_key)')).toEqual(['exs_budget_limit']);
  });
});
