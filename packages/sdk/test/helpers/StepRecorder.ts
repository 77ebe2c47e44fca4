import type { StepMetricExporter } from '@grpo-otel/exporter-tensorboard';
import { ExportResultCode } from '@opentelemetry/core';
import type { DataPoint, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** A small step-keyed exporter for tests: keeps each collection with the step it was exported at. */
export class StepRecorder implements StepMetricExporter {
  exports: { step: number; metrics: ResourceMetrics }[] = [];
  exportStep(step: number, metrics: ResourceMetrics, cb: (r: { code: ExportResultCode }) => void): void {
    this.exports.push({ step, metrics });
    cb({ code: ExportResultCode.SUCCESS });
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
  /** Points of `name` exported at `step` whose attributes include `attrs`. */
  points(step: number, name: string, attrs: Record<string, unknown> = {}): DataPoint<unknown>[] {
    return this.exports
      .filter((e) => e.step === step)
      .flatMap((e) => e.metrics.scopeMetrics.flatMap((s) => s.metrics))
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints as DataPoint<unknown>[])
      .filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v));
  }
  /** [step, value] of every point of `name` with attributes including `attrs`, in export order. */
  series(name: string, attrs: Record<string, unknown> = {}): [number, unknown][] {
    return this.exports.flatMap((e) =>
      e.metrics.scopeMetrics
        .flatMap((s) => s.metrics)
        .filter((m) => m.descriptor.name === name)
        .flatMap((m) => m.dataPoints as DataPoint<unknown>[])
        .filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v))
        .map((p) => [e.step, p.value] as [number, unknown]),
    );
  }
}
