import { type Attributes, type HrTime, ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
  type ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { toAttributes, toHrTime, toNumber } from './internal/otlpValues.js';
import type { OtlpBuckets, OtlpMetric, OtlpMetricsRequest } from './OtlpRequest.js';

export interface ToResourceMetricsResult {
  resourceMetrics: ResourceMetrics[];
  /** Data points taken. */
  points: number;
  /** Data points left out: summaries, points without a value, metrics without a name. */
  skipped: number;
}

/**
 * The metrics of an OTLP metrics request in OpenTelemetry JS's data model (`ResourceMetrics`), which
 * the TensorBoard metric exporter and its transform take as they are: gauges and sums as numbers,
 * explicit and exponential histograms with their buckets. Summaries are left out (counted).
 */
export function toResourceMetrics(
  request: OtlpMetricsRequest,
  now: () => number = Date.now,
): ToResourceMetricsResult {
  const resourceMetrics: ResourceMetrics[] = [];
  let points = 0;
  let skipped = 0;
  const nowHr = (): HrTime => {
    const ms = now();
    return [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];
  };
  for (const rm of request.resourceMetrics ?? []) {
    const resource = resourceFromAttributes(toAttributes(rm?.resource?.attributes));
    const scopeMetrics: ScopeMetrics[] = [];
    for (const sm of rm?.scopeMetrics ?? []) {
      // Scope attributes are kept (OTel JS's serializers write them): the sink marks its own output there.
      const scope = {
        name: typeof sm?.scope?.name === 'string' ? sm.scope.name : '',
        ...(typeof sm?.scope?.version === 'string' && sm.scope.version !== ''
          ? { version: sm.scope.version }
          : {}),
        ...(sm?.scope?.attributes?.length ? { attributes: toAttributes(sm.scope.attributes) } : {}),
      };
      const metrics: MetricData[] = [];
      for (const m of sm?.metrics ?? []) {
        const converted = convertMetric(m, nowHr);
        skipped += converted.skipped;
        if (converted.metric && converted.metric.dataPoints.length > 0) {
          points += converted.metric.dataPoints.length;
          metrics.push(converted.metric);
        }
      }
      if (metrics.length > 0) scopeMetrics.push({ scope, metrics });
    }
    resourceMetrics.push({ resource, scopeMetrics });
  }
  return { resourceMetrics, points, skipped };
}

function temporality(v: number | string | undefined): AggregationTemporality {
  return v === 1 || v === 'AGGREGATION_TEMPORALITY_DELTA'
    ? AggregationTemporality.DELTA
    : AggregationTemporality.CUMULATIVE;
}

function optionalNumber(v: number | string | undefined): number | undefined {
  const n = toNumber(v);
  return Number.isNaN(n) && v === undefined ? undefined : Number.isNaN(n) ? undefined : n;
}

function convertMetric(m: OtlpMetric, nowHr: () => HrTime): { metric?: MetricData; skipped: number } {
  if (m === null || typeof m !== 'object') return { skipped: 1 };
  const name = typeof m.name === 'string' ? m.name : '';
  const descriptor = {
    name,
    description: typeof m.description === 'string' ? m.description : '',
    unit: typeof m.unit === 'string' ? m.unit : '',
    valueType: ValueType.DOUBLE,
  };
  const times = (p: { startTimeUnixNano?: unknown; timeUnixNano?: unknown }) => {
    const end = toHrTime(p.timeUnixNano as never) ?? nowHr();
    return { startTime: toHrTime(p.startTimeUnixNano as never) ?? end, endTime: end };
  };
  const count = (o: { dataPoints?: unknown[] } | undefined) =>
    Array.isArray(o?.dataPoints) ? o.dataPoints.length : 0;
  if (name === '') {
    return {
      skipped:
        count(m.gauge) + count(m.sum) + count(m.histogram) + count(m.exponentialHistogram) + count(m.summary),
    };
  }
  if (m.gauge || m.sum) {
    const src = m.gauge ?? m.sum!;
    let skipped = 0;
    const dataPoints = [];
    for (const p of src.dataPoints ?? []) {
      const value = p.asDouble !== undefined ? toNumber(p.asDouble) : toNumber(p.asInt);
      if (p.asDouble === undefined && p.asInt === undefined) {
        skipped++;
        continue;
      }
      dataPoints.push({ ...times(p), attributes: toAttributes(p.attributes) as Attributes, value });
    }
    const metric: MetricData = m.gauge
      ? {
          descriptor,
          aggregationTemporality: AggregationTemporality.CUMULATIVE,
          dataPointType: DataPointType.GAUGE,
          dataPoints,
        }
      : {
          descriptor,
          aggregationTemporality: temporality(m.sum!.aggregationTemporality),
          dataPointType: DataPointType.SUM,
          isMonotonic: m.sum!.isMonotonic === true,
          dataPoints,
        };
    return { metric, skipped };
  }
  if (m.histogram) {
    const dataPoints = (m.histogram.dataPoints ?? []).map((p) => {
      const min = optionalNumber(p.min);
      const max = optionalNumber(p.max);
      const sum = optionalNumber(p.sum);
      return {
        ...times(p),
        attributes: toAttributes(p.attributes),
        value: {
          buckets: {
            boundaries: (p.explicitBounds ?? []).map(toNumber),
            counts: (p.bucketCounts ?? []).map(toNumber),
          },
          count: toNumber(p.count) || 0,
          ...(sum !== undefined ? { sum } : {}),
          ...(min !== undefined ? { min } : {}),
          ...(max !== undefined ? { max } : {}),
        },
      };
    });
    return {
      metric: {
        descriptor,
        aggregationTemporality: temporality(m.histogram.aggregationTemporality),
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints,
      },
      skipped: 0,
    };
  }
  if (m.exponentialHistogram) {
    const buckets = (b: OtlpBuckets | undefined) => ({
      offset: toNumber(b?.offset) || 0,
      bucketCounts: (b?.bucketCounts ?? []).map(toNumber),
    });
    const dataPoints = (m.exponentialHistogram.dataPoints ?? []).map((p) => {
      const min = optionalNumber(p.min);
      const max = optionalNumber(p.max);
      const sum = optionalNumber(p.sum);
      return {
        ...times(p),
        attributes: toAttributes(p.attributes),
        value: {
          count: toNumber(p.count) || 0,
          scale: toNumber(p.scale) || 0,
          zeroCount: toNumber(p.zeroCount) || 0,
          positive: buckets(p.positive),
          negative: buckets(p.negative),
          ...(sum !== undefined ? { sum } : {}),
          ...(min !== undefined ? { min } : {}),
          ...(max !== undefined ? { max } : {}),
        },
      };
    });
    return {
      metric: {
        descriptor,
        aggregationTemporality: temporality(m.exponentialHistogram.aggregationTemporality),
        dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
        dataPoints,
      },
      skipped: 0,
    };
  }
  return { skipped: count(m.summary) };
}
