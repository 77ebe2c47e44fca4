import type { ProtobufWriter } from '@grpo-otel/protobuf';
import type { IExportLogsServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import { ProtobufLogsSerializer as OtelProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  groupByResourceAndScope,
  hexToBinary,
  requestWriter,
  type ScopeLike,
  writeAnyValue,
  writeAttributes,
  writeHrTimeAsFixed64,
  writeInstrumentationScope,
  writeResource,
} from './writeCommon.js';

// ExportLogsServiceRequest (opentelemetry/proto/collector/logs/v1), field for field as OTel's
// otlp-transformer writes it (logs-serializer): records grouped by resource, then by scope, in the
// order they first appear.

function writeLogRecord(w: ProtobufWriter, r: ReadableLogRecord): void {
  const at = w.beginMessage();
  w.key(1, 1);
  writeHrTimeAsFixed64(w, r.hrTime);
  if (r.severityNumber !== undefined && r.severityNumber !== 0) {
    w.key(2, 0);
    w.int64(r.severityNumber);
  }
  if (r.severityText) {
    w.key(3, 2);
    w.string(r.severityText);
  }
  if (r.body !== undefined) {
    w.key(5, 2);
    const body = w.beginMessage();
    writeAnyValue(w, r.body);
    w.ldelim(body);
  }
  if (r.attributes) writeAttributes(w, r.attributes, 6);
  w.key(7, 0);
  w.int64(r.droppedAttributesCount);
  const sc = r.spanContext;
  if (sc?.traceFlags) {
    w.key(8, 5);
    w.fixed32(sc.traceFlags);
  }
  if (sc?.traceId) {
    w.key(9, 2);
    w.bytes(hexToBinary(sc.traceId));
  }
  if (sc?.spanId) {
    w.key(10, 2);
    w.bytes(hexToBinary(sc.spanId));
  }
  w.key(11, 1);
  writeHrTimeAsFixed64(w, r.hrTimeObserved);
  if (r.eventName) {
    w.key(12, 2);
    w.string(r.eventName);
  }
  w.ldelim(at);
}

/** The request body for `records` (OTLP/HTTP protobuf). */
export function serializeLogsExportRequest(records: readonly ReadableLogRecord[]): Uint8Array {
  const byResource = groupByResourceAndScope(records);
  const w = requestWriter();
  for (const [resource, scopes] of byResource) {
    w.key(1, 2);
    const rl = w.beginMessage();
    writeResource(w, resource, 1);
    for (const list of scopes.values()) {
      w.key(2, 2);
      const sl = w.beginMessage();
      const scope = list[0]!.instrumentationScope as ScopeLike;
      writeInstrumentationScope(w, scope, 1);
      for (const r of list) {
        w.key(2, 2);
        writeLogRecord(w, r);
      }
      if (scope.schemaUrl) {
        w.key(3, 2);
        w.string(scope.schemaUrl);
      }
      w.ldelim(sl);
    }
    if (resource.schemaUrl) {
      w.key(3, 2);
      w.string(resource.schemaUrl);
    }
    w.ldelim(rl);
  }
  return w.finish();
}

/** OTel's ProtobufLogsSerializer with the request written by {@link serializeLogsExportRequest}. */
export const ProtobufLogsSerializer: ISerializer<ReadableLogRecord[], IExportLogsServiceResponse> = {
  serializeRequest: serializeLogsExportRequest,
  deserializeResponse: (data) => OtelProtobufLogsSerializer.deserializeResponse(data),
};
