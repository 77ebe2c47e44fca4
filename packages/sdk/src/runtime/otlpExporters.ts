import { OTLPLogExporter as OTLPLogExporterJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPLogExporterProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as OTLPMetricExporterJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPMetricExporterProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpSettings } from '../config/ResolvedConfig.js';

type Signal = 'logs' | 'metrics' | 'traces';

/** The URL for a signal: its own OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT as is, else base + /v1/<signal>. */
export function otlpUrl(settings: OtlpSettings, signal: Signal, signalEndpoint?: string): string {
  if (signalEndpoint) return signalEndpoint;
  return `${settings.endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}

function exporterConfig(settings: OtlpSettings, signal: Signal, signalEndpoint?: string) {
  return {
    url: otlpUrl(settings, signal, signalEndpoint),
    headers: { ...settings.headers },
    timeoutMillis: settings.timeoutMs,
    compression: settings.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
  };
}

export function createOtlpLogExporter(settings: OtlpSettings, signalEndpoint?: string): LogRecordExporter {
  const c = exporterConfig(settings, 'logs', signalEndpoint);
  return settings.protocol === 'http/json' ? new OTLPLogExporterJson(c) : new OTLPLogExporterProto(c);
}

export function createOtlpMetricExporter(
  settings: OtlpSettings,
  signalEndpoint?: string,
): PushMetricExporter {
  const c = exporterConfig(settings, 'metrics', signalEndpoint);
  return settings.protocol === 'http/json' ? new OTLPMetricExporterJson(c) : new OTLPMetricExporterProto(c);
}

export function createOtlpTraceExporter(settings: OtlpSettings, signalEndpoint?: string): SpanExporter {
  const c = exporterConfig(settings, 'traces', signalEndpoint);
  return settings.protocol === 'http/json' ? new OTLPTraceExporterJson(c) : new OTLPTraceExporterProto(c);
}
