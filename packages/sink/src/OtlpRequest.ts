// The shape of an OTLP export request as OTLP/JSON spells it (lowerCamelCase keys). The protobuf
// decoder produces the same shape, so one conversion serves both encodings. Numbers that are int64
// or fixed64 in the protobuf arrive as strings in JSON, as numbers or BigInts from protobuf.

export type OtlpInt = number | string | bigint;

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: OtlpInt;
  doubleValue?: number | string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  /** Base64 in JSON, bytes from protobuf. */
  bytesValue?: string | Uint8Array;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpResource {
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
}

export interface OtlpScope {
  name?: string;
  version?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
}

export interface OtlpLogRecord {
  timeUnixNano?: OtlpInt;
  observedTimeUnixNano?: OtlpInt;
  severityNumber?: number | string;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  /** Hex in JSON, bytes from protobuf. */
  traceId?: string | Uint8Array;
  spanId?: string | Uint8Array;
  eventName?: string;
}

export interface OtlpLogsRequest {
  resourceLogs?: {
    resource?: OtlpResource;
    scopeLogs?: { scope?: OtlpScope; logRecords?: OtlpLogRecord[] }[];
  }[];
}

export interface OtlpNumberDataPoint {
  attributes?: OtlpKeyValue[];
  startTimeUnixNano?: OtlpInt;
  timeUnixNano?: OtlpInt;
  asDouble?: number | string;
  asInt?: OtlpInt;
}

export interface OtlpHistogramDataPoint {
  attributes?: OtlpKeyValue[];
  startTimeUnixNano?: OtlpInt;
  timeUnixNano?: OtlpInt;
  count?: OtlpInt;
  sum?: number | string;
  bucketCounts?: OtlpInt[];
  explicitBounds?: (number | string)[];
  min?: number | string;
  max?: number | string;
}

export interface OtlpBuckets {
  offset?: number;
  bucketCounts?: OtlpInt[];
}

export interface OtlpExponentialHistogramDataPoint {
  attributes?: OtlpKeyValue[];
  startTimeUnixNano?: OtlpInt;
  timeUnixNano?: OtlpInt;
  count?: OtlpInt;
  sum?: number | string;
  scale?: number;
  zeroCount?: OtlpInt;
  positive?: OtlpBuckets;
  negative?: OtlpBuckets;
  min?: number | string;
  max?: number | string;
}

export interface OtlpMetric {
  name?: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: OtlpNumberDataPoint[] };
  sum?: {
    dataPoints?: OtlpNumberDataPoint[];
    aggregationTemporality?: number | string;
    isMonotonic?: boolean;
  };
  histogram?: { dataPoints?: OtlpHistogramDataPoint[]; aggregationTemporality?: number | string };
  exponentialHistogram?: {
    dataPoints?: OtlpExponentialHistogramDataPoint[];
    aggregationTemporality?: number | string;
  };
  /** Summaries are counted and left out (TensorBoard has no place for quantiles). */
  summary?: { dataPoints?: unknown[] };
}

export interface OtlpMetricsRequest {
  resourceMetrics?: {
    resource?: OtlpResource;
    scopeMetrics?: { scope?: OtlpScope; metrics?: OtlpMetric[] }[];
  }[];
}

export interface OtlpSpanEvent {
  timeUnixNano?: OtlpInt;
  name?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
}

export interface OtlpSpanLink {
  /** Hex in JSON, bytes from protobuf. */
  traceId?: string | Uint8Array;
  spanId?: string | Uint8Array;
  traceState?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
}

export interface OtlpSpan {
  /** Hex in JSON, bytes from protobuf. */
  traceId?: string | Uint8Array;
  spanId?: string | Uint8Array;
  traceState?: string;
  parentSpanId?: string | Uint8Array;
  name?: string;
  /** 0 unspecified ... 5 consumer; JSON may name it (`SPAN_KIND_SERVER`). */
  kind?: number | string;
  startTimeUnixNano?: OtlpInt;
  endTimeUnixNano?: OtlpInt;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
  events?: OtlpSpanEvent[];
  droppedEventsCount?: number;
  links?: OtlpSpanLink[];
  droppedLinksCount?: number;
  /** code: 0 unset, 1 ok, 2 error; JSON may name it (`STATUS_CODE_ERROR`). */
  status?: { message?: string; code?: number | string };
  flags?: number;
}

export interface OtlpTracesRequest {
  resourceSpans?: {
    resource?: OtlpResource;
    /**
     * Spans; `null` is one the protobuf decoder could not read (a malformed span inside a well-formed
     * request), which the sink counts as dropped (`bad_span`) rather than refusing the whole request.
     */
    scopeSpans?: { scope?: OtlpScope; spans?: (OtlpSpan | null)[]; schemaUrl?: string }[];
    schemaUrl?: string;
  }[];
}

/** The three OTLP signals, named as their URL paths (`/v1/<signal>`). */
export type OtlpSignal = 'logs' | 'metrics' | 'traces';
