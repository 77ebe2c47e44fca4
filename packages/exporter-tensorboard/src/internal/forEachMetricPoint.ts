import type { Attributes } from '@opentelemetry/api';
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { HistogramProto } from '../Event.js';
import { histogramFromExplicitBuckets } from '../histogramFromExplicitBuckets.js';
import { histogramFromExponentialBuckets } from '../histogramFromExponentialBuckets.js';

/** What a collection's points become in TensorBoard: scalars and histograms. */
export interface MetricPointVisitor {
  scalar(name: string, attributes: Attributes, value: number): void;
  histogram(name: string, attributes: Attributes, histogram: HistogramProto): void;
}

/**
 * The mapping of a metric collection to TensorBoard, in collection order: gauges and sums as
 * scalars, explicit and exponential histograms as histograms; empty histograms are skipped.
 */
export function forEachMetricPoint(metrics: ResourceMetrics, visit: MetricPointVisitor): void {
  for (const scope of metrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const name = metric.descriptor.name;
      switch (metric.dataPointType) {
        case DataPointType.GAUGE:
        case DataPointType.SUM:
          for (const p of metric.dataPoints) visit.scalar(name, p.attributes, p.value);
          break;
        case DataPointType.HISTOGRAM:
          for (const p of metric.dataPoints) {
            const h = histogramFromExplicitBuckets(p.value);
            if (h) visit.histogram(name, p.attributes, h);
          }
          break;
        case DataPointType.EXPONENTIAL_HISTOGRAM:
          for (const p of metric.dataPoints) {
            const h = histogramFromExponentialBuckets(p.value);
            if (h) visit.histogram(name, p.attributes, h);
          }
          break;
      }
    }
  }
}
