import { histogram } from '@grpo-otel/metrics';
import type { MetricDefinition } from '@grpo-otel/semconv';
import type { HistogramValue, PointAttributes } from './AnalysisResult.js';

/**
 * Bucket counts of `values` over the metric's semconv bucket advice, ready for the precomputed
 * histogram producers (which, unlike OTel JS histogram instruments, keep negative values).
 */
export function toHistogram(
  def: MetricDefinition,
  values: ArrayLike<number>,
  attributes: PointAttributes,
): HistogramValue {
  const boundaries = [...(def.advice?.explicitBucketBoundaries ?? [])];
  const h = histogram(values, boundaries);
  return {
    metric: def.name,
    attributes,
    boundaries,
    counts: Array.from(h.counts),
    count: h.count,
    sum: h.sum,
    min: h.min,
    max: h.max,
  };
}
