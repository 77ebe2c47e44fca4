import type { HrTime, SpanContext } from '@opentelemetry/api';
import type { IExportTraceServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import { ProtobufTraceSerializer as OtelProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ProtobufWriter } from './ProtobufWriter.js';
import {
  groupByResourceAndScope,
  hexToBinary,
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
    w.tag(2, 2);
    w.string(status.message);
  }
  w.tag(3, 0);
  w.varint(status.code);
  w.endMessage(at);
}

function writeEvent(
  w: ProtobufWriter,
  event: { time: HrTime; name: string; attributes?: object; droppedAttributesCount?: number },
): void {
  const at = w.beginMessage();
  w.tag(1, 1);
  writeHrTimeAsFixed64(w, event.time);
  w.tag(2, 2);
  w.string(event.name);
  if (event.attributes) writeAttributes(w, event.attributes, 3);
  w.tag(4, 0);
  w.varint(event.droppedAttributesCount || 0);
  w.endMessage(at);
}

function writeLink(
  w: ProtobufWriter,
  link: { context: SpanContext; attributes?: object; droppedAttributesCount?: number },
): void {
  const at = w.beginMessage();
  const c = link.context;
  w.tag(1, 2);
  w.bytes(hexToBinary(c.traceId));
  w.tag(2, 2);
  w.bytes(hexToBinary(c.spanId));
  const traceState = c.traceState?.serialize();
  if (traceState) {
    w.tag(3, 2);
    w.string(traceState);
  }
  if (link.attributes) writeAttributes(w, link.attributes, 4);
  w.tag(5, 0);
  w.varint(link.droppedAttributesCount || 0);
  w.tag(6, 5);
  w.fixed32(spanFlags(c.traceFlags, c.isRemote));
  w.endMessage(at);
}

function writeSpan(w: ProtobufWriter, span: ReadableSpan): void {
  const at = w.beginMessage();
  const ctx = span.spanContext();
  w.tag(1, 2);
  w.bytes(hexToBinary(ctx.traceId));
  w.tag(2, 2);
  w.bytes(hexToBinary(ctx.spanId));
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.tag(3, 2);
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.tag(4, 2);
    w.bytes(hexToBinary(parent.spanId));
  }
  w.tag(5, 2);
  w.string(span.name);
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    w.tag(6, 0);
    w.varint(kind);
  }
  w.tag(7, 1);
  writeHrTimeAsFixed64(w, span.startTime);
  w.tag(8, 1);
  writeHrTimeAsFixed64(w, span.endTime);
  if (span.attributes) writeAttributes(w, span.attributes, 9);
  w.tag(10, 0);
  w.varint(span.droppedAttributesCount);
  for (const event of span.events) {
    w.tag(11, 2);
    writeEvent(w, event);
  }
  w.tag(12, 0);
  w.varint(span.droppedEventsCount);
  for (const link of span.links) {
    w.tag(13, 2);
    writeLink(w, link);
  }
  w.tag(14, 0);
  w.varint(span.droppedLinksCount);
  w.tag(15, 2);
  writeStatus(w, span.status);
  w.tag(16, 5);
  w.fixed32(spanFlags(ctx.traceFlags, parent?.isRemote));
  w.endMessage(at);
}

/** The request body for `spans` (OTLP/HTTP protobuf). */
export function serializeTraceExportRequest(spans: readonly ReadableSpan[]): Uint8Array {
  const w = new ProtobufWriter();
  for (const [resource, scopes] of groupByResourceAndScope(spans)) {
    w.tag(1, 2);
    const rs = w.beginMessage();
    writeResource(w, resource, 1);
    for (const list of scopes.values()) {
      w.tag(2, 2);
      const ss = w.beginMessage();
      const scope = list[0]!.instrumentationScope as ScopeLike;
      writeInstrumentationScope(w, scope, 1);
      for (const span of list) {
        w.tag(2, 2);
        writeSpan(w, span);
      }
      if (scope.schemaUrl) {
        w.tag(3, 2);
        w.string(scope.schemaUrl);
      }
      w.endMessage(ss);
    }
    if (resource.schemaUrl) {
      w.tag(3, 2);
      w.string(resource.schemaUrl);
    }
    w.endMessage(rs);
  }
  return w.finish();
}

/** OTel's ProtobufTraceSerializer with the request written by {@link serializeTraceExportRequest}. */
export const ProtobufTraceSerializer: ISerializer<ReadableSpan[], IExportTraceServiceResponse> = {
  serializeRequest: serializeTraceExportRequest,
  deserializeResponse: (data) => OtelProtobufTraceSerializer.deserializeResponse(data),
};
