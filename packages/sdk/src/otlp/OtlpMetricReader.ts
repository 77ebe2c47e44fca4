import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

/**
 * OTel's periodic reader for the OTLP metric export, with a shutdown that may be called twice: the SDK
 * shuts it down first, together with the other signals' OTLP exports (one deadline for all), then the
 * MeterProvider does as it shuts down the other readers, which OTel's reader reports as an error.
 */
export class OtlpMetricReader extends PeriodicExportingMetricReader {
  private shutdownPromise: Promise<void> | undefined;

  override shutdown(options?: { timeoutMillis?: number }): Promise<void> {
    this.shutdownPromise ??= super.shutdown(options);
    return this.shutdownPromise;
  }
}
