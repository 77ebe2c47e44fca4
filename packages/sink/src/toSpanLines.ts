import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  type JsonKeyValue,
  toJsonCount,
  toJsonEnum,
  toJsonFlags,
  toJsonId,
  toJsonKeyValues,
  toJsonNanos,
} from './internal/otlpJsonValues.js';
import { toAttributes } from './internal/otlpValues.js';
import type {
  OtlpResource,
  OtlpScope,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpSpanLink,
  OtlpTracesRequest,
} from './OtlpRequest.js';

/** The spans of one resource of a traces request, as trace file lines. */
export interface SpanLines {
  /** The resource (what the run is found by). */
  resource: Resource;
  /** One OTLP/JSON line per span, `\n` included. */
  lines: string[];
  /** Spans left out: unreadable (malformed protobuf, not an object, missing or malformed ids or times). */
  bad: number;
}

const SPAN_KINDS = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'] as const;

/**
 * The spans of a decoded traces request (protobuf or JSON: see OtlpRequest.ts) as the SDK's `traces`
 * handler writes them (spanToOtlpJsonLine): per span one line of OTLP/JSON, an
 * ExportTraceServiceRequest holding that span with its resource and scope, keys and values as OTel
 * JS's JsonTraceSerializer writes them (hex ids, nanosecond times as decimal strings, AnyValue
 * attributes). What the request says is kept: kinds, status, flags, events, links, dropped counts,
 * schema URLs. A span that cannot be written (see {@link SpanLines.bad}) is counted and left out;
 * nothing here throws on bad input.
 */
export function toSpanLines(request: OtlpTracesRequest): SpanLines[] {
  const out: SpanLines[] = [];
  const resourceSpans = request?.resourceSpans;
  if (!Array.isArray(resourceSpans)) return out;
  for (const rs of resourceSpans) {
    if (rs === null || typeof rs !== 'object') continue;
    const entry: SpanLines = {
      resource: resourceFromAttributes(toAttributes(rs.resource?.attributes)),
      lines: [],
      bad: 0,
    };
    const resourceJson = JSON.stringify(jsonResource(rs.resource));
    const resourceTail = schemaUrlMember(rs.schemaUrl);
    for (const ss of Array.isArray(rs.scopeSpans) ? rs.scopeSpans : []) {
      if (ss === null || typeof ss !== 'object' || !Array.isArray(ss.spans)) continue;
      const head = `{"resourceSpans":[{"resource":${resourceJson},"scopeSpans":[{"scope":${JSON.stringify(jsonScope(ss.scope))},"spans":[`;
      const tail = `]${schemaUrlMember(ss.schemaUrl)}}]${resourceTail}}]}\n`;
      for (const span of ss.spans) {
        const json = spanJson(span);
        if (json === undefined) entry.bad++;
        else entry.lines.push(head + json + tail);
      }
    }
    if (entry.lines.length > 0 || entry.bad > 0) out.push(entry);
  }
  return out;
}

function schemaUrlMember(url: unknown): string {
  return typeof url === 'string' && url !== '' ? `,"schemaUrl":${JSON.stringify(url)}` : '';
}

function jsonResource(r: OtlpResource | undefined): {
  attributes: JsonKeyValue[];
  droppedAttributesCount: number;
} {
  return {
    attributes: toJsonKeyValues(r?.attributes),
    droppedAttributesCount: toJsonCount(r?.droppedAttributesCount),
  };
}

function jsonScope(s: OtlpScope | undefined): Record<string, unknown> {
  const scope: Record<string, unknown> = { name: typeof s?.name === 'string' ? s.name : '' };
  if (typeof s?.version === 'string' && s.version !== '') scope.version = s.version;
  const attributes = toJsonKeyValues(s?.attributes);
  if (attributes.length > 0) {
    scope.attributes = attributes;
    scope.droppedAttributesCount = toJsonCount(s?.droppedAttributesCount);
  }
  return scope;
}

/** A span's OTLP/JSON text; undefined when it cannot be written. */
function spanJson(s: OtlpSpan | null | undefined): string | undefined {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return undefined;
  try {
    const traceId = toJsonId(s.traceId, 16);
    const spanId = toJsonId(s.spanId, 8);
    const parentSpanId = toJsonId(s.parentSpanId, 8);
    const startTimeUnixNano = toJsonNanos(s.startTimeUnixNano);
    const endTimeUnixNano = toJsonNanos(s.endTimeUnixNano);
    if (!traceId || !spanId || parentSpanId === undefined) return undefined;
    if (startTimeUnixNano === undefined || endTimeUnixNano === undefined) return undefined;
    const events: Record<string, unknown>[] = [];
    for (const e of Array.isArray(s.events) ? s.events : []) {
      const event = jsonEvent(e);
      if (!event) return undefined;
      events.push(event);
    }
    const links: Record<string, unknown>[] = [];
    for (const l of Array.isArray(s.links) ? s.links : []) {
      const link = jsonLink(l);
      if (!link) return undefined;
      links.push(link);
    }
    const status: NonNullable<OtlpSpan['status']> =
      s.status !== null && typeof s.status === 'object' ? s.status : {};
    // The member order of OTel JS's sdkSpanToOtlpSpan.
    return JSON.stringify({
      traceId,
      spanId,
      ...(parentSpanId ? { parentSpanId } : {}),
      ...(typeof s.traceState === 'string' && s.traceState !== '' ? { traceState: s.traceState } : {}),
      name: typeof s.name === 'string' ? s.name : '',
      kind: toJsonEnum(s.kind, SPAN_KINDS),
      startTimeUnixNano,
      endTimeUnixNano,
      attributes: toJsonKeyValues(s.attributes),
      droppedAttributesCount: toJsonCount(s.droppedAttributesCount),
      events,
      droppedEventsCount: toJsonCount(s.droppedEventsCount),
      status: {
        code: toJsonEnum(status.code, STATUS_CODES),
        ...(typeof status.message === 'string' && status.message !== '' ? { message: status.message } : {}),
      },
      links,
      droppedLinksCount: toJsonCount(s.droppedLinksCount),
      flags: toJsonFlags(s.flags),
    });
  } catch {
    return undefined;
  }
}

function jsonEvent(e: OtlpSpanEvent | null | undefined): Record<string, unknown> | undefined {
  if (e === null || typeof e !== 'object') return undefined;
  const timeUnixNano = toJsonNanos(e.timeUnixNano);
  if (timeUnixNano === undefined) return undefined;
  return {
    attributes: toJsonKeyValues(e.attributes),
    name: typeof e.name === 'string' ? e.name : '',
    timeUnixNano,
    droppedAttributesCount: toJsonCount(e.droppedAttributesCount),
  };
}

function jsonLink(l: OtlpSpanLink | null | undefined): Record<string, unknown> | undefined {
  if (l === null || typeof l !== 'object') return undefined;
  const traceId = toJsonId(l.traceId, 16);
  const spanId = toJsonId(l.spanId, 8);
  if (!traceId || !spanId) return undefined;
  return {
    attributes: toJsonKeyValues(l.attributes),
    spanId,
    traceId,
    ...(typeof l.traceState === 'string' && l.traceState !== '' ? { traceState: l.traceState } : {}),
    droppedAttributesCount: toJsonCount(l.droppedAttributesCount),
    flags: toJsonFlags(l.flags),
  };
}
