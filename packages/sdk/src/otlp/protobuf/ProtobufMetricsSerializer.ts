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
import { ProtobufWriter } from './ProtobufWriter.js';
import {
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
  w.tag(2, 0);
  w.varint(t);
}

function writeCount(w: ProtobufWriter, n: number): void {
  w.fixed64(n >>> 0, (n / 0x100000000) >>> 0);
}

function writeNumberPoint(w: ProtobufWriter, p: DataPoint<number>, valueType: ValueType | undefined): void {
  const at = w.beginMessage();
  w.tag(2, 1);
  writeHrTimeAsFixed64(w, p.startTime);
  w.tag(3, 1);
  writeHrTimeAsFixed64(w, p.endTime);
  if (valueType === ValueType.INT) {
    w.tag(6, 1);
    w.sfixed64(p.value);
  } else {
    w.tag(4, 1);
    w.double(p.value);
  }
  if (p.attributes) writeAttributes(w, p.attributes, 7);
  w.endMessage(at);
}

function writeHistogramPoint(w: ProtobufWriter, p: DataPoint<Histogram>): void {
  const at = w.beginMessage();
  const h = p.value;
  w.tag(2, 1);
  writeHrTimeAsFixed64(w, p.startTime);
  w.tag(3, 1);
  writeHrTimeAsFixed64(w, p.endTime);
  w.tag(4, 1);
  writeCount(w, h.count);
  if (h.sum !== undefined) {
    w.tag(5, 1);
    w.double(h.sum);
  }
  if (h.buckets.counts.length > 0) {
    w.tag(6, 2);
    const counts = w.beginMessage();
    for (const c of h.buckets.counts) writeCount(w, c);
    w.endMessage(counts);
  }
  if (h.buckets.boundaries.length > 0) {
    w.tag(7, 2);
    const bounds = w.beginMessage();
    for (const b of h.buckets.boundaries) w.double(b);
    w.endMessage(bounds);
  }
  if (p.attributes) writeAttributes(w, p.attributes, 9);
  if (h.min !== undefined) {
    w.tag(11, 1);
    w.double(h.min);
  }
  if (h.max !== undefined) {
    w.tag(12, 1);
    w.double(h.max);
  }
  w.endMessage(at);
}

function writeBuckets(w: ProtobufWriter, offset: number, counts: number[]): void {
  const at = w.beginMessage();
  if (offset !== 0) {
    w.tag(1, 0);
    w.sint32(offset);
  }
  if (counts.length > 0) {
    w.tag(2, 2);
    const c = w.beginMessage();
    for (const n of counts) w.varint(n);
    w.endMessage(c);
  }
  w.endMessage(at);
}

function writeExponentialHistogramPoint(w: ProtobufWriter, p: DataPoint<ExponentialHistogram>): void {
  const at = w.beginMessage();
  const h = p.value;
  if (p.attributes) writeAttributes(w, p.attributes, 1);
  w.tag(2, 1);
  writeHrTimeAsFixed64(w, p.startTime);
  w.tag(3, 1);
  writeHrTimeAsFixed64(w, p.endTime);
  w.tag(4, 1);
  writeCount(w, h.count);
  if (h.sum !== undefined) {
    w.tag(5, 1);
    w.double(h.sum);
  }
  if (h.scale !== 0) {
    w.tag(6, 0);
    w.sint32(h.scale);
  }
  w.tag(7, 1);
  writeCount(w, h.zeroCount);
  w.tag(8, 2);
  writeBuckets(w, h.positive.offset, h.positive.bucketCounts);
  w.tag(9, 2);
  writeBuckets(w, h.negative.offset, h.negative.bucketCounts);
  if (h.min !== undefined) {
    w.tag(12, 1);
    w.double(h.min);
  }
  if (h.max !== undefined) {
    w.tag(13, 1);
    w.double(h.max);
  }
  w.endMessage(at);
}

function writeMetric(w: ProtobufWriter, m: MetricData): void {
  const at = w.beginMessage();
  w.tag(1, 2);
  w.string(m.descriptor.name);
  if (m.descriptor.description) {
    w.tag(2, 2);
    w.string(m.descriptor.description);
  }
  if (m.descriptor.unit) {
    w.tag(3, 2);
    w.string(m.descriptor.unit);
  }
  switch (m.dataPointType) {
    case DataPointType.GAUGE: {
      w.tag(5, 2);
      const g = w.beginMessage();
      for (const p of m.dataPoints) {
        w.tag(1, 2);
        writeNumberPoint(w, p, m.descriptor.valueType);
      }
      w.endMessage(g);
      break;
    }
    case DataPointType.SUM: {
      w.tag(7, 2);
      const s = w.beginMessage();
      for (const p of m.dataPoints) {
        w.tag(1, 2);
        writeNumberPoint(w, p, m.descriptor.valueType);
      }
      writeTemporality(w, m.aggregationTemporality);
      if (m.isMonotonic) {
        w.tag(3, 0);
        w.varint(1);
      }
      w.endMessage(s);
      break;
    }
    case DataPointType.HISTOGRAM: {
      w.tag(9, 2);
      const h = w.beginMessage();
      for (const p of m.dataPoints) {
        w.tag(1, 2);
        writeHistogramPoint(w, p);
      }
      writeTemporality(w, m.aggregationTemporality);
      w.endMessage(h);
      break;
    }
    case DataPointType.EXPONENTIAL_HISTOGRAM: {
      w.tag(10, 2);
      const h = w.beginMessage();
      for (const p of m.dataPoints) {
        w.tag(1, 2);
        writeExponentialHistogramPoint(w, p);
      }
      writeTemporality(w, m.aggregationTemporality);
      w.endMessage(h);
      break;
    }
  }
  w.endMessage(at);
}

/** The request body for one collection (OTLP/HTTP protobuf). */
export function serializeMetricsExportRequest(rm: ResourceMetrics): Uint8Array {
  const w = new ProtobufWriter();
  w.tag(1, 2);
  const at = w.beginMessage();
  writeResource(w, rm.resource, 1);
  for (const sm of rm.scopeMetrics) {
    w.tag(2, 2);
    const s = w.beginMessage();
    writeInstrumentationScope(w, sm.scope, 1);
    for (const m of sm.metrics) {
      w.tag(2, 2);
      writeMetric(w, m);
    }
    if (sm.scope.schemaUrl) {
      w.tag(3, 2);
      w.string(sm.scope.schemaUrl);
    }
    w.endMessage(s);
  }
  if (rm.resource.schemaUrl) {
    w.tag(3, 2);
    w.string(rm.resource.schemaUrl);
  }
  w.endMessage(at);
  return w.finish();
}

/** OTel's ProtobufMetricsSerializer with the request written by {@link serializeMetricsExportRequest}. */
export const ProtobufMetricsSerializer: ISerializer<ResourceMetrics, IExportMetricsServiceResponse> = {
  serializeRequest: serializeMetricsExportRequest,
  deserializeResponse: (data) => OtelProtobufMetricsSerializer.deserializeResponse(data),
};
