import type { SpanContext, TraceFlags } from '@opentelemetry/api';
import type { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  toAnyValue,
  toAttributes,
  toHexId,
  toHrTime,
  toLogAttributes,
  toNumber,
} from './internal/otlpValues.js';
import type { OtlpLogsRequest, OtlpScope } from './OtlpRequest.js';

const SEVERITY_NAMES: Readonly<Record<string, number>> = {
  SEVERITY_NUMBER_TRACE: 1,
  SEVERITY_NUMBER_DEBUG: 5,
  SEVERITY_NUMBER_INFO: 9,
  SEVERITY_NUMBER_WARN: 13,
  SEVERITY_NUMBER_ERROR: 17,
  SEVERITY_NUMBER_FATAL: 21,
};

/**
 * The log records of an OTLP logs request as OpenTelemetry JS `ReadableLogRecord`s, which the
 * SDK's log exporters (rotating file, CSV, TensorBoard text) take as they are. Each record carries its
 * resource (one object per resource of the request) and scope; the event name is the record's
 * `eventName`, else its `event.name` attribute. A record without a time gets its observed time, else
 * `now`.
 */
export function toLogRecords(request: OtlpLogsRequest, now: () => number = Date.now): ReadableLogRecord[] {
  const out: ReadableLogRecord[] = [];
  for (const rl of request.resourceLogs ?? []) {
    const resource = resourceFromAttributes(toAttributes(rl?.resource?.attributes));
    for (const sl of rl?.scopeLogs ?? []) {
      const instrumentationScope = scopeOf(sl?.scope);
      for (const r of sl?.logRecords ?? []) {
        if (r === null || typeof r !== 'object') continue;
        const attributes = toLogAttributes(r.attributes);
        const observed = toHrTime(r.observedTimeUnixNano);
        const hrTime = toHrTime(r.timeUnixNano) ?? observed ?? msToHrTime(now());
        const eventAttr = attributes['event.name'];
        const eventName =
          typeof r.eventName === 'string' && r.eventName !== ''
            ? r.eventName
            : typeof eventAttr === 'string'
              ? eventAttr
              : undefined;
        const severity = severityNumber(r.severityNumber);
        const traceId = toHexId(r.traceId);
        const spanId = toHexId(r.spanId);
        const spanContext: SpanContext | undefined =
          traceId && spanId
            ? { traceId, spanId, traceFlags: (toNumber(r.flags) & 0xff) as TraceFlags, isRemote: true }
            : undefined;
        const record: ReadableLogRecord = {
          hrTime,
          hrTimeObserved: observed ?? hrTime,
          resource,
          instrumentationScope,
          attributes,
          droppedAttributesCount: toNumber(r.droppedAttributesCount) || 0,
          ...(severity !== undefined ? { severityNumber: severity } : {}),
          ...(typeof r.severityText === 'string' && r.severityText !== ''
            ? { severityText: r.severityText }
            : {}),
          ...(r.body !== undefined ? { body: toAnyValue(r.body) } : {}),
          ...(eventName !== undefined ? { eventName } : {}),
          ...(spanContext ? { spanContext } : {}),
        };
        out.push(record);
      }
    }
  }
  return out;
}

function scopeOf(scope: OtlpScope | undefined): ReadableLogRecord['instrumentationScope'] {
  return {
    name: typeof scope?.name === 'string' ? scope.name : '',
    ...(typeof scope?.version === 'string' && scope.version !== '' ? { version: scope.version } : {}),
    ...(scope?.attributes?.length ? { attributes: toAttributes(scope.attributes) } : {}),
  };
}

function severityNumber(v: number | string | undefined): SeverityNumber | undefined {
  const n = typeof v === 'string' ? (SEVERITY_NAMES[v] ?? toNumber(v)) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 24 ? (n as SeverityNumber) : undefined;
}

function msToHrTime(ms: number): [number, number] {
  const s = Math.floor(ms / 1000);
  return [s, Math.round((ms - s * 1000) * 1e6)];
}
