import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

const decoder = new TextDecoder();

/**
 * One span as one line of OTLP/JSON: an ExportTraceServiceRequest holding just this span, with its
 * resource and instrumentation scope (what the collector's file exporter writes, and its
 * `otlpjsonfile` receiver reads). Ids are hex, times nanoseconds since the epoch (as strings).
 * OTel's own JSON serializer does the encoding; the line ends with `\n`.
 */
export function spanToOtlpJsonLine(span: ReadableSpan): string {
  const bytes = JsonTraceSerializer.serializeRequest([span]);
  if (!bytes) throw new Error(`span ${span.name}: the OTLP/JSON serializer returned nothing`);
  return `${decoder.decode(bytes).replace(/\n/g, '')}\n`;
}
