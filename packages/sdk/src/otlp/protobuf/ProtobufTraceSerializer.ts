import type { ProtobufWriter } from '@grpo-otel/protobuf';
import type { HrTime, SpanContext } from '@opentelemetry/api';
import type { IExportTraceServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import { ProtobufTraceSerializer as OtelProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  groupByResourceAndScope,
  hexToBinary,
  requestWriter,
  type ScopeLike,
  writeAttributes,
  writeHrTimeAsFixed64,
  writeInstrumentationScope,
  writeResource,
} from './writeCommon.js';

// ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1), field for field as OTel's
// otlp-transformer writes it (trace-serializer).

const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);
}

function writeStatus(w: ProtobufWriter, status: ReadableSpan['status']): void {
  const at = w.beginMessage();
  if (status.message) {
    w.key(2, 2);
    w.string(status.message);
  }
  w.key(3, 0);
  w.int64(status.code);
  w.ldelim(at);
}

function writeEvent(
  w: ProtobufWriter,
  event: { time: HrTime; name: string; attributes?: object; droppedAttributesCount?: number },
): void {
  const at = w.beginMessage();
  w.key(1, 1);
  writeHrTimeAsFixed64(w, event.time);
  w.key(2, 2);
  w.string(event.name);
  if (event.attributes) writeAttributes(w, event.attributes, 3);
  w.key(4, 0);
  w.int64(event.droppedAttributesCount || 0);
  w.ldelim(at);
}

function writeLink(
  w: ProtobufWriter,
  link: { context: SpanContext; attributes?: object; droppedAttributesCount?: number },
): void {
  const at = w.beginMessage();
  const c = link.context;
  w.key(1, 2);
  w.bytes(hexToBinary(c.traceId));
  w.key(2, 2);
  w.bytes(hexToBinary(c.spanId));
  const traceState = c.traceState?.serialize();
  if (traceState) {
    w.key(3, 2);
    w.string(traceState);
  }
  if (link.attributes) writeAttributes(w, link.attributes, 4);
  w.key(5, 0);
  w.int64(link.droppedAttributesCount || 0);
  w.key(6, 5);
  w.fixed32(spanFlags(c.traceFlags, c.isRemote));
  w.ldelim(at);
}

function writeSpan(w: ProtobufWriter, span: ReadableSpan): void {
  const at = w.beginMessage();
  const ctx = span.spanContext();
  w.key(1, 2);
  w.bytes(hexToBinary(ctx.traceId));
  w.key(2, 2);
  w.bytes(hexToBinary(ctx.spanId));
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.key(3, 2);
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.key(4, 2);
    w.bytes(hexToBinary(parent.spanId));
  }
  w.key(5, 2);
  w.string(span.name);
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    w.key(6, 0);
    w.int64(kind);
  }
  w.key(7, 1);
  writeHrTimeAsFixed64(w, span.startTime);
  w.key(8, 1);
  writeHrTimeAsFixed64(w, span.endTime);
  if (span.attributes) writeAttributes(w, span.attributes, 9);
  w.key(10, 0);
  w.int64(span.droppedAttributesCount);
  for (const event of span.events) {
    w.key(11, 2);
    writeEvent(w, event);
  }
  w.key(12, 0);
  w.int64(span.droppedEventsCount);
  for (const link of span.links) {
    w.key(13, 2);
    writeLink(w, link);
  }
  w.key(14, 0);
  w.int64(span.droppedLinksCount);
  w.key(15, 2);
  writeStatus(w, span.status);
  w.key(16, 5);
  w.fixed32(spanFlags(ctx.traceFlags, parent?.isRemote));
  w.ldelim(at);
}

/** The request body for `spans` (OTLP/HTTP protobuf). */
export function serializeTraceExportRequest(spans: readonly ReadableSpan[]): Uint8Array {
  const w = requestWriter();
  for (const [resource, scopes] of groupByResourceAndScope(spans)) {
    w.key(1, 2);
    const rs = w.beginMessage();
    writeResource(w, resource, 1);
    for (const list of scopes.values()) {
      w.key(2, 2);
      const ss = w.beginMessage();
      const scope = list[0]!.instrumentationScope as ScopeLike;
      writeInstrumentationScope(w, scope, 1);
      for (const span of list) {
        w.key(2, 2);
        writeSpan(w, span);
      }
      if (scope.schemaUrl) {
        w.key(3, 2);
        w.string(scope.schemaUrl);
      }
      w.ldelim(ss);
    }
    if (resource.schemaUrl) {
      w.key(3, 2);
      w.string(resource.schemaUrl);
    }
    w.ldelim(rs);
  }
  return w.finish();
}

/** OTel's ProtobufTraceSerializer with the request written by {@link serializeTraceExportRequest}. */
export const ProtobufTraceSerializer: ISerializer<ReadableSpan[], IExportTraceServiceResponse> = {
  serializeRequest: serializeTraceExportRequest,
  deserializeResponse: (data) => OtelProtobufTraceSerializer.deserializeResponse(data),
};
