// OpenTelemetry JS itself as the independent producer of OTLP requests: its SDKs make the records
// and points, its otlp-transformer serializers the protobuf and JSON bodies.
import type { Meter, Tracer } from '@opentelemetry/api';
import type { AnyValueMap, LogRecord } from '@opentelemetry/api-logs';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

class ManualReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
  async take(): Promise<ResourceMetrics> {
    return (await this.collect()).resourceMetrics;
  }
}

/** Log records made by OTel's LoggerProvider with the given resource; `emit` gets a logger per scope. */
export async function makeLogRecords(
  resource: AnyValueMap,
  emit: (logger: (scope: string) => { emit(r: LogRecord): void }) => void,
): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(resource as Record<string, string>),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  emit((scope) => provider.getLogger(scope));
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

/** One collection made by OTel's MeterProvider (delta; instrument `expo` as exponential histogram). */
export async function makeMetrics(
  resource: Record<string, string | number>,
  record: (meter: Meter) => void,
): Promise<ResourceMetrics> {
  const reader = new ManualReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes(resource),
    readers: [reader],
    views: [
      {
        instrumentName: 'expo',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } },
      },
    ],
  });
  record(provider.getMeter('test'));
  const rm = await reader.take();
  await provider.shutdown();
  return rm;
}

/**
 * Spans made by OTel's BasicTracerProvider with the given resource (limits low enough that dropped
 * attribute, event and link counts are set); `record` gets a tracer per scope (name, version, schema URL).
 */
export function makeSpans(
  resource: Record<string, string | number>,
  record: (tracer: (scope: string, version?: string, schemaUrl?: string) => Tracer) => void,
): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanLimits: { attributeCountLimit: 8, eventCountLimit: 3, linkCountLimit: 2 },
    spanProcessors: [
      {
        onStart: () => {},
        onEnd: (s: ReadableSpan) => spans.push(s),
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    ],
  });
  record((scope, version, schemaUrl) =>
    provider.getTracer(scope, version, schemaUrl !== undefined ? { schemaUrl } : {}),
  );
  return spans;
}

export function tracesBody(spans: ReadableSpan[], encoding: 'protobuf' | 'json'): Uint8Array {
  const body = (encoding === 'json' ? JsonTraceSerializer : ProtobufTraceSerializer).serializeRequest(spans);
  if (!body) throw new Error('the serializer returned nothing');
  return body;
}

export function logsBody(records: ReadableLogRecord[], encoding: 'protobuf' | 'json'): Uint8Array {
  const body = (encoding === 'json' ? JsonLogsSerializer : ProtobufLogsSerializer).serializeRequest(records);
  if (!body) throw new Error('the serializer returned nothing');
  return body;
}

export function metricsBody(rm: ResourceMetrics, encoding: 'protobuf' | 'json'): Uint8Array {
  const body = (encoding === 'json' ? JsonMetricsSerializer : ProtobufMetricsSerializer).serializeRequest(rm);
  if (!body) throw new Error('the serializer returned nothing');
  return body;
}

export const CONTENT_TYPE = { protobuf: 'application/x-protobuf', json: 'application/json' } as const;
