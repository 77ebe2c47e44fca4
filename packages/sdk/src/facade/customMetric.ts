import type { MetricDefinition } from '@grpo-otel/semconv';

const cache = new Map<string, MetricDefinition>();

/**
 * A gauge for a training metric semconv does not know: `grpo.custom.<key>` with the key lowercased
 * and anything outside [a-z0-9_] turned into `_` (`/` and `.` become namespace dots), so that it is a
 * valid OTel and Prometheus name.
 */
export function customMetric(key: string): MetricDefinition {
  let def = cache.get(key);
  if (def) return def;
  const segments = key
    .toLowerCase()
    .split(/[/.]+/)
    .map((s) => s.replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, ''))
    .filter((s) => s.length > 0)
    .map((s) => (/^[0-9]/.test(s) ? `_${s}` : s));
  def = {
    name: `grpo.custom.${segments.length ? segments.join('.') : 'unnamed'}`,
    instrument: 'gauge',
    unit: '',
    description: `Training metric '${key}' reported through logTrainingProgress.`,
    valueType: 'double',
    attributes: [],
    stability: 'development',
    category: 'progress',
    reused: false,
  };
  cache.set(key, def);
  return def;
}
