import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

// Estimates of what a record costs to hold, in bytes: strings by length, numbers and booleans at 8 bytes,
// plus a fixed overhead per record, attribute and data point for the objects around them. They bound
// the queue's memory; they are not exact heap sizes. The per-record overheads are calibrated on Node 20
// (heap growth after GC per record held, short messages with one attribute: log record ~470 bytes,
// span ~1000 bytes); docs/reliability.md reports the measured ratio under load.
const LOG_RECORD_OVERHEAD = 384;
const SPAN_OVERHEAD = 960;
const RECORD_OVERHEAD = 256;
const ENTRY_OVERHEAD = 32;
const POINT_OVERHEAD = 96;
const MAX_DEPTH = 8;

/** Estimated bytes of an attribute value or log body (strings, numbers, arrays, maps, bytes). */
export function estimateValue(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return value.length;
    case 'number':
    case 'boolean':
    case 'bigint':
      return 8;
    case 'object': {
      if (value === null) return 0;
      if (depth >= MAX_DEPTH) return ENTRY_OVERHEAD;
      if (value instanceof Uint8Array) return value.byteLength;
      if (Array.isArray(value)) {
        let n = ENTRY_OVERHEAD;
        for (const v of value) n += estimateValue(v, depth + 1) + 8;
        return n;
      }
      return estimateAttributes(value as Record<string, unknown>, depth + 1);
    }
    default:
      return 0;
  }
}

/** Estimated bytes of an attributes map. */
export function estimateAttributes(attributes: Record<string, unknown> | undefined, depth = 0): number {
  if (!attributes) return 0;
  let n = 0;
  for (const key in attributes) {
    n += ENTRY_OVERHEAD + key.length + estimateValue(attributes[key], depth);
  }
  return n;
}

export function estimateLogRecord(record: ReadableLogRecord): number {
  return (
    LOG_RECORD_OVERHEAD +
    estimateValue(record.body) +
    estimateAttributes(record.attributes) +
    (record.severityText?.length ?? 0) +
    (record.eventName?.length ?? 0)
  );
}

export function estimateSpan(span: ReadableSpan): number {
  let n = SPAN_OVERHEAD + span.name.length + estimateAttributes(span.attributes);
  for (const e of span.events) n += ENTRY_OVERHEAD + e.name.length + estimateAttributes(e.attributes);
  for (const l of span.links) n += ENTRY_OVERHEAD * 2 + estimateAttributes(l.attributes);
  n += span.status.message?.length ?? 0;
  return n;
}

/** Data points in a collection (the records a queued metric export stands for). */
export function countDataPoints(rm: ResourceMetrics): number {
  let n = 0;
  for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += m.dataPoints.length;
  return n;
}

export function estimateResourceMetrics(rm: ResourceMetrics): number {
  let n = RECORD_OVERHEAD;
  for (const sm of rm.scopeMetrics) {
    n += ENTRY_OVERHEAD + sm.scope.name.length;
    for (const m of sm.metrics) {
      n += ENTRY_OVERHEAD + m.descriptor.name.length + m.descriptor.description.length;
      for (const p of m.dataPoints) {
        n += POINT_OVERHEAD + estimateAttributes(p.attributes);
        const v = p.value as unknown;
        if (typeof v === 'object' && v !== null) {
          const b = (v as { buckets?: { boundaries?: unknown[]; counts?: unknown[] } }).buckets;
          n += 8 * ((b?.boundaries?.length ?? 0) + (b?.counts?.length ?? 0));
          const pos = (v as { positive?: { bucketCounts?: unknown[] } }).positive;
          const neg = (v as { negative?: { bucketCounts?: unknown[] } }).negative;
          n += 8 * ((pos?.bucketCounts?.length ?? 0) + (neg?.bucketCounts?.length ?? 0));
        }
      }
    }
  }
  return n;
}
