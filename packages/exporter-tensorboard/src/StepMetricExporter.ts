import type { ExportResult } from '@opentelemetry/core';
import type { AggregationTemporality, InstrumentType, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/**
 * A metric exporter keyed by training step: it receives each step's values as one collection,
 * with the step passed along (the step sink of `@grpo-otel/sdk` calls it once per written step,
 * steps increasing within each series). Like OTel's `PushMetricExporter.export`, `exportStep` never
 * throws and calls `resultCallback` exactly once.
 */
export interface StepMetricExporter {
  exportStep(step: number, metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void;
  /** Resolves when everything exported so far is written. */
  forceFlush(): Promise<void>;
  /** Flushes, then releases what the exporter holds. Idempotent. */
  shutdown(): Promise<void>;
  /** The temporality the exporter wants per instrument (default: delta, cumulative for up-down counters). */
  selectAggregationTemporality?(instrumentType: InstrumentType): AggregationTemporality;
}
