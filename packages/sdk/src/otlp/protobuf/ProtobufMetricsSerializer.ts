import type { ProtobufWriter } from '@grpo-otel/protobuf';
import { ValueType } from '@opentelemetry/api';
import type { IExportMetricsServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import { ProtobufMetricsSerializer as OtelProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type ExponentialHistogram,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  requestWriter,
  writeAttributes,
  writeHrTimeAsFixed64,
  writeInstrumentationScope,
  writeResource,
} from './writeCommon.js';

// ExportMetricsServiceRequest (opentelemetry/proto/collector/metrics/v1), field for field as OTel's
// otlp-transformer writes it (metrics-serializer).

function temporality(t: AggregationTemporality): number {
  return t === AggregationTemporality.DELTA ? 1 : t === AggregationTemporality.CUMULATIVE ? 2 : 0;
}

/** `aggregation_temporality` (field 2 of Sum, Histogram and ExponentialHistogram), left out when unspecified. */
function writeTemporality(w: ProtobufWriter, at: AggregationTemporality): void {
  const t = temporality(at);
  if (t === 0) return;
  w.key(2, 0);
  w.int64(t);
}

function writeCount(w: ProtobufWriter, n: number): void {
  w.fixed64(n >>> 0, (n / 0x100000000) >>> 0);
}

function writeNumberPoint(w: ProtobufWriter, p: DataPoint<number>, valueType: ValueType | undefined): void {
  const at = w.beginMessage();
  w.key(2, 1);
  writeHrTimeAsFixed64(w, p.startTime);
  w.key(3, 1);
  writeHrTimeAsFixed64(w, p.endTime);
  if (valueType === ValueType.INT) {
    w.key(6, 1);
    w.sfixed64(p.value);
  } else {
    w.key(4, 1);
    w.double(p.value);
  }
  if (p.attributes) writeAttributes(w, p.attributes, 7);
  w.ldelim(at);
}

function writeHistogramPoint(w: ProtobufWriter, p: DataPoint<Histogram>): void {
  const at = w.beginMessage();
  const h = p.value;
  w.key(2, 1);
  writeHrTimeAsFixed64(w, p.startTime);
  w.key(3, 1);
  writeHrTimeAsFixed64(w, p.endTime);
  w.key(4, 1);
  writeCount(w, h.count);
  if (h.sum !== undefined) {
    w.key(5, 1);
    w.double(h.sum);
  }
  if (h.buckets.counts.length > 0) {
    w.key(6, 2);
    const counts = w.beginMessage();
    for (const c of h.buckets.counts) writeCount(w, c);
    w.ldelim(counts);
  }
  if (h.buckets.boundaries.length > 0) {
    w.key(7, 2);
    const bounds = w.beginMessage();
    for (const b of h.buckets.boundaries) w.double(b);
    w.ldelim(bounds);
  }
  if (p.attributes) writeAttributes(w, p.attributes, 9);
  if (h.min !== undefined) {
    w.key(11, 1);
    w.double(h.min);
  }
  if (h.max !== undefined) {
    w.key(12, 1);
    w.double(h.max);
  }
  w.ldelim(at);
}

function writeBuckets(w: ProtobufWriter, offset: number, counts: number[]): void {
  const at = w.beginMessage();
  if (offset !== 0) {
    w.key(1, 0);
    w.sint32(offset);
  }
  if (counts.length > 0) {
    w.key(2, 2);
    const c = w.beginMessage();
    for (const n of counts) w.int64(n);
    w.ldelim(c);
  }
  w.ldelim(at);
}

function writeExponentialHistogramPoint(w: ProtobufWriter, p: DataPoint<ExponentialHistogram>): void {
  const at = w.beginMessage();
  const h = p.value;
  if (p.attributes) writeAttributes(w, p.attributes, 1);
  w.key(2, 1);
  writeHrTimeAsFixed64(w, p.startTime);
  w.key(3, 1);
  writeHrTimeAsFixed64(w, p.endTime);
  w.key(4, 1);
  writeCount(w, h.count);
  if (h.sum !== undefined) {
    w.key(5, 1);
    w.double(h.sum);
  }
  if (h.scale !== 0) {
    w.key(6, 0);
    w.sint32(h.scale);
  }
  w.key(7, 1);
  writeCount(w, h.zeroCount);
  w.key(8, 2);
  writeBuckets(w, h.positive.offset, h.positive.bucketCounts);
  w.key(9, 2);
  writeBuckets(w, h.negative.offset, h.negative.bucketCounts);
  if (h.min !== undefined) {
    w.key(12, 1);
    w.double(h.min);
  }
  if (h.max !== undefined) {
    w.key(13, 1);
    w.double(h.max);
  }
  w.ldelim(at);
}

function writeMetric(w: ProtobufWriter, m: MetricData): void {
  const at = w.beginMessage();
  w.key(1, 2);
  w.string(m.descriptor.name);
  if (m.descriptor.description) {
    w.key(2, 2);
    w.string(m.descriptor.description);
  }
  if (m.descriptor.unit) {
    w.key(3, 2);
    w.string(m.descriptor.unit);
  }
  switch (m.dataPointType) {
    case DataPointType.GAUGE: {
      w.key(5, 2);
      const g = w.beginMessage();
      for (const p of m.dataPoints) {
        w.key(1, 2);
        writeNumberPoint(w, p, m.descriptor.valueType);
      }
      w.ldelim(g);
      break;
    }
    case DataPointType.SUM: {
      w.key(7, 2);
      const s = w.beginMessage();
      for (const p of m.dataPoints) {
        w.key(1, 2);
        writeNumberPoint(w, p, m.descriptor.valueType);
      }
      writeTemporality(w, m.aggregationTemporality);
      if (m.isMonotonic) {
        w.key(3, 0);
        w.int64(1);
      }
      w.ldelim(s);
      break;
    }
    case DataPointType.HISTOGRAM: {
      w.key(9, 2);
      const h = w.beginMessage();
      for (const p of m.dataPoints) {
        w.key(1, 2);
        writeHistogramPoint(w, p);
      }
      writeTemporality(w, m.aggregationTemporality);
      w.ldelim(h);
      break;
    }
    case DataPointType.EXPONENTIAL_HISTOGRAM: {
      w.key(10, 2);
      const h = w.beginMessage();
      for (const p of m.dataPoints) {
        w.key(1, 2);
        writeExponentialHistogramPoint(w, p);
      }
      writeTemporality(w, m.aggregationTemporality);
      w.ldelim(h);
      break;
    }
  }
  w.ldelim(at);
}

/** The request body for one collection (OTLP/HTTP protobuf). */
export function serializeMetricsExportRequest(rm: ResourceMetrics): Uint8Array {
  const w = requestWriter();
  w.key(1, 2);
  const at = w.beginMessage();
  writeResource(w, rm.resource, 1);
  for (const sm of rm.scopeMetrics) {
    w.key(2, 2);
    const s = w.beginMessage();
    writeInstrumentationScope(w, sm.scope, 1);
    for (const m of sm.metrics) {
      w.key(2, 2);
      writeMetric(w, m);
    }
    if (sm.scope.schemaUrl) {
      w.key(3, 2);
      w.string(sm.scope.schemaUrl);
    }
    w.ldelim(s);
  }
  if (rm.resource.schemaUrl) {
    w.key(3, 2);
    w.string(rm.resource.schemaUrl);
  }
  w.ldelim(at);
  return w.finish();
}

/** OTel's ProtobufMetricsSerializer with the request written by {@link serializeMetricsExportRequest}. */
export const ProtobufMetricsSerializer: ISerializer<ResourceMetrics, IExportMetricsServiceResponse> = {
  serializeRequest: serializeMetricsExportRequest,
  deserializeResponse: (data) => OtelProtobufMetricsSerializer.deserializeResponse(data),
};
