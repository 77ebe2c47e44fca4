import { ProtoDecodeError, ProtoReader, WIRE } from '@grpo-otel/protobuf';
import type {
  OtlpAnyValue,
  OtlpBuckets,
  OtlpExponentialHistogramDataPoint,
  OtlpHistogramDataPoint,
  OtlpKeyValue,
  OtlpLogRecord,
  OtlpLogsRequest,
  OtlpMetric,
  OtlpMetricsRequest,
  OtlpNumberDataPoint,
  OtlpResource,
  OtlpScope,
  OtlpSignal,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpTracesRequest,
} from './OtlpRequest.js';

// Field numbers from opentelemetry-proto (collector/*/v1/*_service.proto, logs/metrics/trace/common/
// resource v1). Unknown fields are skipped, as protobuf readers do.

/**
 * Decodes a protobuf OTLP export request of `signal` into the OTLP/JSON shape. Throws a
 * `ProtoDecodeError` on malformed input (the receiver answers 400).
 */
export function decodeOtlpProtobuf(signal: 'logs', data: Uint8Array): OtlpLogsRequest;
export function decodeOtlpProtobuf(signal: 'metrics', data: Uint8Array): OtlpMetricsRequest;
export function decodeOtlpProtobuf(signal: 'traces', data: Uint8Array): OtlpTracesRequest;
export function decodeOtlpProtobuf(
  signal: OtlpSignal,
  data: Uint8Array,
): OtlpLogsRequest | OtlpMetricsRequest | OtlpTracesRequest;
export function decodeOtlpProtobuf(
  signal: OtlpSignal,
  data: Uint8Array,
): OtlpLogsRequest | OtlpMetricsRequest | OtlpTracesRequest {
  const r = new ProtoReader(data);
  switch (signal) {
    case 'logs': {
      const out: NonNullable<OtlpLogsRequest['resourceLogs']> = [];
      each(r, 1, (m) => {
        const { resource, scopes } = resourceBlock(m, scopeLogs);
        out.push({ resource, scopeLogs: scopes });
      });
      return { resourceLogs: out };
    }
    case 'metrics': {
      const out: NonNullable<OtlpMetricsRequest['resourceMetrics']> = [];
      each(r, 1, (m) => {
        const { resource, scopes } = resourceBlock(m, scopeMetrics);
        out.push({ resource, scopeMetrics: scopes });
      });
      return { resourceMetrics: out };
    }
    case 'traces': {
      const out: NonNullable<OtlpTracesRequest['resourceSpans']> = [];
      each(r, 1, (m) => {
        const { resource, scopes, schemaUrl } = resourceBlock(m, scopeSpans);
        out.push({ resource, scopeSpans: scopes, ...(schemaUrl ? { schemaUrl } : {}) });
      });
      return { resourceSpans: out };
    }
  }
}

/** Calls `fn` with a reader over each length-delimited `field` of the message; skips the rest. */
function each(r: ProtoReader, field: number, fn: (m: ProtoReader) => void): void {
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === field && w === WIRE.LEN) fn(r.message());
    else r.skip(w);
  }
}

/** Resource{Logs,Metrics,Spans}: 1 resource, 2 scope_*, 3 schema_url. */
function resourceBlock<S>(
  r: ProtoReader,
  scope: (m: ProtoReader) => S,
): { resource: OtlpResource; scopes: S[]; schemaUrl: string } {
  let resource: OtlpResource = {};
  const scopes: S[] = [];
  let schemaUrl = '';
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) resource = decodeResource(r.message());
    else if (f === 2 && w === WIRE.LEN) scopes.push(scope(r.message()));
    else if (f === 3 && w === WIRE.LEN) schemaUrl = r.string();
    else r.skip(w);
  }
  return { resource, scopes, schemaUrl };
}

function decodeResource(r: ProtoReader): OtlpResource {
  const attributes: OtlpKeyValue[] = [];
  const out: OtlpResource = { attributes };
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) attributes.push(keyValue(r.message()));
    else if (f === 2 && w === WIRE.VARINT) out.droppedAttributesCount = r.uvarint();
    else r.skip(w);
  }
  return out;
}

function decodeScope(r: ProtoReader): OtlpScope {
  const out: OtlpScope = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) out.name = r.string();
    else if (f === 2 && w === WIRE.LEN) out.version = r.string();
    else if (f === 3 && w === WIRE.LEN) pushAttribute(out, keyValue(r.message()));
    else if (f === 4 && w === WIRE.VARINT) out.droppedAttributesCount = r.uvarint();
    else r.skip(w);
  }
  return out;
}

function pushAttribute(into: { attributes?: OtlpKeyValue[] }, kv: OtlpKeyValue): void {
  if (into.attributes) into.attributes.push(kv);
  else into.attributes = [kv];
}

function keyValue(r: ProtoReader): OtlpKeyValue {
  const kv: OtlpKeyValue = { key: '' };
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) kv.key = r.string();
    else if (f === 2 && w === WIRE.LEN) kv.value = anyValue(r.message());
    else r.skip(w);
  }
  return kv;
}

function anyValue(r: ProtoReader): OtlpAnyValue {
  const v: OtlpAnyValue = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) v.stringValue = r.string();
    else if (f === 2 && w === WIRE.VARINT) v.boolValue = r.bool();
    else if (f === 3 && w === WIRE.VARINT) v.intValue = r.int64();
    else if (f === 4 && w === WIRE.FIXED64) v.doubleValue = r.double();
    else if (f === 5 && w === WIRE.LEN) {
      const values: OtlpAnyValue[] = [];
      each(r.message(), 1, (m) => values.push(anyValue(m)));
      v.arrayValue = { values };
    } else if (f === 6 && w === WIRE.LEN) {
      const values: OtlpKeyValue[] = [];
      each(r.message(), 1, (m) => values.push(keyValue(m)));
      v.kvlistValue = { values };
    } else if (f === 7 && w === WIRE.LEN) v.bytesValue = r.bytes();
    else r.skip(w);
  }
  return v;
}

// --- logs ------------------------------------------------------------------------------------------

function scopeLogs(r: ProtoReader): { scope?: OtlpScope; logRecords: OtlpLogRecord[] } {
  const out: { scope?: OtlpScope; logRecords: OtlpLogRecord[] } = { logRecords: [] };
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) out.scope = decodeScope(r.message());
    else if (f === 2 && w === WIRE.LEN) out.logRecords.push(logRecord(r.message()));
    else r.skip(w);
  }
  return out;
}

function logRecord(r: ProtoReader): OtlpLogRecord {
  const out: OtlpLogRecord = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.FIXED64) out.timeUnixNano = r.fixed64();
    else if (f === 11 && w === WIRE.FIXED64) out.observedTimeUnixNano = r.fixed64();
    else if (f === 2 && w === WIRE.VARINT) out.severityNumber = r.uvarint();
    else if (f === 3 && w === WIRE.LEN) out.severityText = r.string();
    else if (f === 5 && w === WIRE.LEN) out.body = anyValue(r.message());
    else if (f === 6 && w === WIRE.LEN) pushAttribute(out, keyValue(r.message()));
    else if (f === 7 && w === WIRE.VARINT) out.droppedAttributesCount = r.uvarint();
    else if (f === 8 && w === WIRE.FIXED32) out.flags = r.fixed32();
    else if (f === 9 && w === WIRE.LEN) out.traceId = r.bytes();
    else if (f === 10 && w === WIRE.LEN) out.spanId = r.bytes();
    else if (f === 12 && w === WIRE.LEN) out.eventName = r.string();
    else r.skip(w);
  }
  return out;
}

// --- metrics ---------------------------------------------------------------------------------------

function scopeMetrics(r: ProtoReader): { scope?: OtlpScope; metrics: OtlpMetric[] } {
  const out: { scope?: OtlpScope; metrics: OtlpMetric[] } = { metrics: [] };
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) out.scope = decodeScope(r.message());
    else if (f === 2 && w === WIRE.LEN) out.metrics.push(metric(r.message()));
    else r.skip(w);
  }
  return out;
}

function metric(r: ProtoReader): OtlpMetric {
  const out: OtlpMetric = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (w !== WIRE.LEN) {
      r.skip(w);
      continue;
    }
    if (f === 1) out.name = r.string();
    else if (f === 2) out.description = r.string();
    else if (f === 3) out.unit = r.string();
    else if (f === 5) out.gauge = { dataPoints: numberPoints(r.message()).points };
    else if (f === 7) {
      const { points, temporality, monotonic } = numberPoints(r.message());
      out.sum = { dataPoints: points, aggregationTemporality: temporality, isMonotonic: monotonic };
    } else if (f === 9) {
      const m = r.message();
      const dataPoints: OtlpHistogramDataPoint[] = [];
      let temporality = 0;
      while (!m.done()) {
        const [pf, pw] = m.key();
        if (pf === 1 && pw === WIRE.LEN) dataPoints.push(histogramPoint(m.message()));
        else if (pf === 2 && pw === WIRE.VARINT) temporality = m.uvarint();
        else m.skip(pw);
      }
      out.histogram = { dataPoints, aggregationTemporality: temporality };
    } else if (f === 10) {
      const m = r.message();
      const dataPoints: OtlpExponentialHistogramDataPoint[] = [];
      let temporality = 0;
      while (!m.done()) {
        const [pf, pw] = m.key();
        if (pf === 1 && pw === WIRE.LEN) dataPoints.push(exponentialPoint(m.message()));
        else if (pf === 2 && pw === WIRE.VARINT) temporality = m.uvarint();
        else m.skip(pw);
      }
      out.exponentialHistogram = { dataPoints, aggregationTemporality: temporality };
    } else if (f === 11) {
      const dataPoints: unknown[] = [];
      each(r.message(), 1, () => dataPoints.push({}));
      out.summary = { dataPoints };
    } else r.skip(w);
  }
  return out;
}

/** Gauge (1 data_points) or Sum (1 data_points, 2 aggregation_temporality, 3 is_monotonic). */
function numberPoints(r: ProtoReader): {
  points: OtlpNumberDataPoint[];
  temporality: number;
  monotonic: boolean;
} {
  const points: OtlpNumberDataPoint[] = [];
  let temporality = 0;
  let monotonic = false;
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) points.push(numberPoint(r.message()));
    else if (f === 2 && w === WIRE.VARINT) temporality = r.uvarint();
    else if (f === 3 && w === WIRE.VARINT) monotonic = r.bool();
    else r.skip(w);
  }
  return { points, temporality, monotonic };
}

function numberPoint(r: ProtoReader): OtlpNumberDataPoint {
  const p: OtlpNumberDataPoint = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 7 && w === WIRE.LEN) pushAttribute(p, keyValue(r.message()));
    else if (f === 2 && w === WIRE.FIXED64) p.startTimeUnixNano = r.fixed64();
    else if (f === 3 && w === WIRE.FIXED64) p.timeUnixNano = r.fixed64();
    else if (f === 4 && w === WIRE.FIXED64) p.asDouble = r.double();
    else if (f === 6 && w === WIRE.FIXED64) p.asInt = r.sfixed64();
    else r.skip(w);
  }
  return p;
}

const readFixed64 = (r: ProtoReader): number => Number(r.fixed64());
const readDouble = (r: ProtoReader): number => r.double();
const readVarint = (r: ProtoReader): number => r.uvarint();

function histogramPoint(r: ProtoReader): OtlpHistogramDataPoint {
  const p: OtlpHistogramDataPoint = {};
  const counts: number[] = [];
  const bounds: number[] = [];
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 9 && w === WIRE.LEN) pushAttribute(p, keyValue(r.message()));
    else if (f === 2 && w === WIRE.FIXED64) p.startTimeUnixNano = r.fixed64();
    else if (f === 3 && w === WIRE.FIXED64) p.timeUnixNano = r.fixed64();
    else if (f === 4 && w === WIRE.FIXED64) p.count = r.fixed64();
    else if (f === 5 && w === WIRE.FIXED64) p.sum = r.double();
    else if (f === 6) r.repeated(w, WIRE.FIXED64, readFixed64, counts);
    else if (f === 7) r.repeated(w, WIRE.FIXED64, readDouble, bounds);
    else if (f === 11 && w === WIRE.FIXED64) p.min = r.double();
    else if (f === 12 && w === WIRE.FIXED64) p.max = r.double();
    else r.skip(w);
  }
  p.bucketCounts = counts;
  p.explicitBounds = bounds;
  return p;
}

function exponentialPoint(r: ProtoReader): OtlpExponentialHistogramDataPoint {
  const p: OtlpExponentialHistogramDataPoint = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) pushAttribute(p, keyValue(r.message()));
    else if (f === 2 && w === WIRE.FIXED64) p.startTimeUnixNano = r.fixed64();
    else if (f === 3 && w === WIRE.FIXED64) p.timeUnixNano = r.fixed64();
    else if (f === 4 && w === WIRE.FIXED64) p.count = r.fixed64();
    else if (f === 5 && w === WIRE.FIXED64) p.sum = r.double();
    else if (f === 6 && w === WIRE.VARINT) p.scale = zigzag(r.uvarint());
    else if (f === 7 && w === WIRE.FIXED64) p.zeroCount = r.fixed64();
    else if (f === 8 && w === WIRE.LEN) p.positive = buckets(r.message());
    else if (f === 9 && w === WIRE.LEN) p.negative = buckets(r.message());
    else if (f === 12 && w === WIRE.FIXED64) p.min = r.double();
    else if (f === 13 && w === WIRE.FIXED64) p.max = r.double();
    else r.skip(w);
  }
  return p;
}

function buckets(r: ProtoReader): OtlpBuckets {
  const out: OtlpBuckets = { offset: 0 };
  const counts: number[] = [];
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.VARINT) out.offset = zigzag(r.uvarint());
    else if (f === 2) r.repeated(w, WIRE.VARINT, readVarint, counts);
    else r.skip(w);
  }
  out.bucketCounts = counts;
  return out;
}

function zigzag(n: number): number {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

// --- traces ----------------------------------------------------------------------------------------

/** ScopeSpans: 1 scope, 2 spans, 3 schema_url. A span that does not decode is `null` (counted, not fatal). */
function scopeSpans(r: ProtoReader): { scope?: OtlpScope; spans: (OtlpSpan | null)[]; schemaUrl?: string } {
  const out: { scope?: OtlpScope; spans: (OtlpSpan | null)[]; schemaUrl?: string } = { spans: [] };
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) out.scope = decodeScope(r.message());
    else if (f === 2 && w === WIRE.LEN) {
      // The span's bounds are read here, so a malformed span leaves its neighbours readable.
      const m = r.message();
      try {
        out.spans.push(span(m));
      } catch (err) {
        if (!(err instanceof ProtoDecodeError)) throw err;
        out.spans.push(null);
      }
    } else if (f === 3 && w === WIRE.LEN) {
      const url = r.string();
      if (url !== '') out.schemaUrl = url;
    } else r.skip(w);
  }
  return out;
}

/** Span (opentelemetry/proto/trace/v1/trace.proto). */
function span(r: ProtoReader): OtlpSpan {
  const out: OtlpSpan = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) out.traceId = r.bytes();
    else if (f === 2 && w === WIRE.LEN) out.spanId = r.bytes();
    else if (f === 3 && w === WIRE.LEN) out.traceState = r.string();
    else if (f === 4 && w === WIRE.LEN) out.parentSpanId = r.bytes();
    else if (f === 5 && w === WIRE.LEN) out.name = r.string();
    else if (f === 6 && w === WIRE.VARINT) out.kind = r.uvarint();
    else if (f === 7 && w === WIRE.FIXED64) out.startTimeUnixNano = r.fixed64();
    else if (f === 8 && w === WIRE.FIXED64) out.endTimeUnixNano = r.fixed64();
    else if (f === 9 && w === WIRE.LEN) pushAttribute(out, keyValue(r.message()));
    else if (f === 10 && w === WIRE.VARINT) out.droppedAttributesCount = r.uvarint();
    else if (f === 11 && w === WIRE.LEN) {
      out.events ??= [];
      out.events.push(spanEvent(r.message()));
    } else if (f === 12 && w === WIRE.VARINT) out.droppedEventsCount = r.uvarint();
    else if (f === 13 && w === WIRE.LEN) {
      out.links ??= [];
      out.links.push(spanLink(r.message()));
    } else if (f === 14 && w === WIRE.VARINT) out.droppedLinksCount = r.uvarint();
    else if (f === 15 && w === WIRE.LEN) out.status = spanStatus(r.message());
    else if (f === 16 && w === WIRE.FIXED32) out.flags = r.fixed32();
    else r.skip(w);
  }
  return out;
}

/** Span.Event: 1 time_unix_nano, 2 name, 3 attributes, 4 dropped_attributes_count. */
function spanEvent(r: ProtoReader): OtlpSpanEvent {
  const out: OtlpSpanEvent = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.FIXED64) out.timeUnixNano = r.fixed64();
    else if (f === 2 && w === WIRE.LEN) out.name = r.string();
    else if (f === 3 && w === WIRE.LEN) pushAttribute(out, keyValue(r.message()));
    else if (f === 4 && w === WIRE.VARINT) out.droppedAttributesCount = r.uvarint();
    else r.skip(w);
  }
  return out;
}

/** Span.Link: 1 trace_id, 2 span_id, 3 trace_state, 4 attributes, 5 dropped_attributes_count, 6 flags. */
function spanLink(r: ProtoReader): OtlpSpanLink {
  const out: OtlpSpanLink = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 1 && w === WIRE.LEN) out.traceId = r.bytes();
    else if (f === 2 && w === WIRE.LEN) out.spanId = r.bytes();
    else if (f === 3 && w === WIRE.LEN) out.traceState = r.string();
    else if (f === 4 && w === WIRE.LEN) pushAttribute(out, keyValue(r.message()));
    else if (f === 5 && w === WIRE.VARINT) out.droppedAttributesCount = r.uvarint();
    else if (f === 6 && w === WIRE.FIXED32) out.flags = r.fixed32();
    else r.skip(w);
  }
  return out;
}

/** Status: 2 message, 3 code (1 is deprecated). */
function spanStatus(r: ProtoReader): NonNullable<OtlpSpan['status']> {
  const out: NonNullable<OtlpSpan['status']> = {};
  while (!r.done()) {
    const [f, w] = r.key();
    if (f === 2 && w === WIRE.LEN) out.message = r.string();
    else if (f === 3 && w === WIRE.VARINT) out.code = r.uvarint();
    else r.skip(w);
  }
  return out;
}
