import { ExportResultCode } from '@opentelemetry/core';
import {
  AggregationTemporality,
  type DataPoint,
  InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** A small local step-keyed exporter: keeps each export with the step the SDK stamped on it. */
export class StepRecorder implements PushMetricExporter {
  exports: { step: number; metrics: ResourceMetrics }[] = [];
  constructor(private readonly getStep: () => number | undefined) {}
  export(metrics: ResourceMetrics, cb: (r: { code: ExportResultCode }) => void): void {
    this.exports.push({ step: this.getStep() ?? -1, metrics });
    cb({ code: ExportResultCode.SUCCESS });
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
  selectAggregationTemporality(kind: InstrumentType): AggregationTemporality {
    return kind === InstrumentType.UP_DOWN_COUNTER || kind === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
      ? AggregationTemporality.CUMULATIVE
      : AggregationTemporality.DELTA;
  }
  /** Points of `name` exported at `step` whose attributes include `attrs`. */
  points(step: number, name: string, attrs: Record<string, unknown> = {}): DataPoint<unknown>[] {
    return this.exports
      .filter((e) => e.step === step)
      .flatMap((e) => e.metrics.scopeMetrics.flatMap((s) => s.metrics))
      .filter((m) => m.descriptor.name === name)
      .flatMap((m) => m.dataPoints as DataPoint<unknown>[])
      .filter((p) => Object.entries(attrs).every(([k, v]) => p.attributes[k] === v));
  }
}
