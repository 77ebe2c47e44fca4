import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';

export interface AnalysisForwarderOptions {
  /** The collector's OTLP/HTTP base URL, e.g. `http://127.0.0.1:4318` (`/v1/metrics`, `/v1/logs` appended). */
  endpoint: string;
  /** Extra request headers (e.g. `Authorization: Bearer ...` for a gateway that wants a token). */
  headers?: Record<string, string>;
  /** Per-request timeout. Default 10 s. */
  timeoutMillis?: number;
}

export interface AnalysisForwarderStats {
  metricExports: number;
  logExports: number;
  failedExports: number;
}

/**
 * Sends what the sink's analyses compute back through the collector (so Prometheus and the log
 * backend get them) with OpenTelemetry's own OTLP/HTTP exporters. Fire and forget: a failed export is
 * counted and reported once through `diag`, never retried by the sink (the exporters bound what is in
 * flight and drop beyond it).
 */
export class AnalysisForwarder {
  private readonly metrics: OTLPMetricExporter;
  private readonly logs: OTLPLogExporter;
  private readonly counts: AnalysisForwarderStats = { metricExports: 0, logExports: 0, failedExports: 0 };
  private failureReported = false;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: AnalysisForwarderOptions) {
    let base: URL;
    try {
      base = new URL(options.endpoint);
    } catch {
      throw new TypeError(`AnalysisForwarder: endpoint must be a URL, got ${String(options.endpoint)}`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new TypeError(`AnalysisForwarder: endpoint must be http(s), got ${base.protocol}`);
    const root = base.href.replace(/\/+$/, '');
    const common = {
      ...(options.headers ? { headers: options.headers } : {}),
      timeoutMillis: options.timeoutMillis ?? 10_000,
    };
    this.metrics = new OTLPMetricExporter({ ...common, url: `${root}/v1/metrics` });
    this.logs = new OTLPLogExporter({ ...common, url: `${root}/v1/logs` });
  }

  get stats(): AnalysisForwarderStats {
    return { ...this.counts };
  }

  sendMetrics(metrics: ResourceMetrics): void {
    if (this.shutdownPromise) return;
    this.counts.metricExports++;
    this.metrics.export(metrics, (r) => this.done(r));
  }

  sendLogs(records: ReadableLogRecord[]): void {
    if (this.shutdownPromise || records.length === 0) return;
    this.counts.logExports++;
    this.logs.export(records, (r) => this.done(r));
  }

  forceFlush(): Promise<void> {
    return Promise.all([this.metrics.forceFlush(), this.logs.forceFlush()]).then(() => undefined);
  }

  /** Waits for what is in flight, then closes both exporters. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= Promise.allSettled([this.metrics.shutdown(), this.logs.shutdown()]).then(
      () => undefined,
    );
    return this.shutdownPromise;
  }

  private done(result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) return;
    this.counts.failedExports++;
    if (!this.failureReported) {
      this.failureReported = true;
      diag.warn(
        `grpo-otel sink: sending analyses to the collector failed (reported once): ${result.error?.message ?? 'unknown error'}`,
      );
    }
  }
}
