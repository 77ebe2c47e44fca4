import { type BucketCounts, mergeBucketCounts } from '@grpo-otel/metrics';
import { metricDefinition } from '@grpo-otel/semconv';
import { type HrTime, ValueType } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type CollectionResult,
  DataPointType,
  type HistogramMetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { HistogramValue } from './AnalysisResult.js';

interface Series {
  metric: string;
  attributes: Record<string, string | number | boolean>;
  buckets: BucketCounts;
  startTime: HrTime;
}

/** The instrumentation scope of the analysis worker's histograms. */
export const ANALYSIS_SCOPE = { name: '@grpo-otel/sdk/analysis' };

/**
 * Histograms computed off the training thread (bucket counts from the analysis worker), fed to OTel
 * metric readers through the SDK's own extension point, a `MetricProducer`: the training thread never
 * records per-value. One producer per reader, because temporality is per reader: a cumulative producer
 * (OTLP, Prometheus) accumulates forever; a delta producer reports what arrived since its last
 * collection. (TensorBoard gets them from the SDK's step sink, at the analysed step.) Series are keyed
 * by metric and attributes.
 */
export class PrecomputedHistograms {
  private readonly producers: HistogramProducer[] = [];

  /** A producer for a reader with the given temporality. */
  producer(temporality: AggregationTemporality): MetricProducer {
    const p = new HistogramProducer(temporality);
    this.producers.push(p);
    return p;
  }

  add(h: HistogramValue): void {
    if (h.count === 0 || this.producers.length === 0) return;
    // The series key once for every producer.
    const key = `${h.metric}\u0000${JSON.stringify(h.attributes ?? {})}`;
    for (const p of this.producers) p.add(h, key);
  }
}

class HistogramProducer implements MetricProducer {
  private series = new Map<string, Series>();

  constructor(private readonly temporality: AggregationTemporality) {}

  /** Adds `h` (not empty) to the series `key` (its metric and attributes). */
  add(h: HistogramValue, key: string): void {
    const buckets = this.series.get(key)?.buckets;
    const merged = mergeBucketCounts(buckets, h);
    if (merged !== buckets) {
      this.series.set(key, {
        metric: h.metric,
        attributes: { ...(h.attributes ?? {}) },
        buckets: merged,
        startTime: hrTime(),
      });
    }
  }

  async collect(): Promise<CollectionResult> {
    const now = hrTime();
    const byMetric = new Map<string, HistogramMetricData>();
    for (const s of this.series.values()) {
      let m = byMetric.get(s.metric);
      if (!m) {
        const def = metricDefinition(s.metric);
        m = {
          descriptor: {
            name: s.metric,
            description: def?.description ?? '',
            unit: def?.unit ?? '',
            valueType: ValueType.DOUBLE,
          },
          aggregationTemporality: this.temporality,
          dataPointType: DataPointType.HISTOGRAM,
          dataPoints: [],
        };
        byMetric.set(s.metric, m);
      }
      m.dataPoints.push({
        startTime: s.startTime,
        endTime: now,
        attributes: { ...s.attributes },
        value: {
          buckets: { boundaries: [...s.buckets.boundaries], counts: [...s.buckets.counts] },
          count: s.buckets.count,
          sum: s.buckets.sum,
          min: s.buckets.min,
          max: s.buckets.max,
        },
      });
    }
    if (this.temporality === AggregationTemporality.DELTA) this.series = new Map();
    return {
      resourceMetrics: {
        // Ignored by the reader: the SDK's resource is used.
        resource: resourceFromAttributes({}),
        scopeMetrics: byMetric.size ? [{ scope: ANALYSIS_SCOPE, metrics: [...byMetric.values()] }] : [],
      },
      errors: [],
    };
  }
}
