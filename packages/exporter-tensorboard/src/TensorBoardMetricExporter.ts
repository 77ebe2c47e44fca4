import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  AggregationTemporality,
  InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { MetricEventEncoder } from './internal/MetricEventEncoder.js';
import { defaultOmitAttribute, type OmitAttribute } from './metricTag.js';
import type { StepMetricExporter } from './StepMetricExporter.js';
import { TensorBoardRun, type TensorBoardRunOptions } from './TensorBoardRun.js';

/** A run to write to: an existing {@link TensorBoardRun} (shared), or the options to create one. */
export type TensorBoardRunSource = { run: TensorBoardRun } | TensorBoardRunOptions;

export type TensorBoardMetricExporterOptions = TensorBoardRunSource & {
  /**
   * For `export()` from an OTel metric reader: the trainer's current step, read at each export;
   * every point of the collection is written at it. When it returns undefined (or throws, or is not
   * a safe integer), the exporter's own count of exports is used (0 for the first). The SDK's step
   * sink passes the step itself (`exportStep`).
   */
  getStep?: () => number | undefined;
  /** Which attributes stay out of tags. Default: `grpo.split=train` and `grpo.window.size`. */
  omitAttribute?: OmitAttribute;
};

/**
 * OpenTelemetry `PushMetricExporter` and {@link StepMetricExporter} writing TensorBoard event files:
 * gauges and sums as scalars, histograms as histograms, all points of one export in one event at its
 * step (tags: see `metricTag`): the step `exportStep(step, ...)` is given (the SDK's step sink hands
 * it each step's values as one collection), or for `export()` the one `getStep()` returns. It asks for
 * delta temporality for
 * counters, histograms and gauges, so each step holds that step's values, and cumulative for
 * up-down counters (levels).
 *
 * `export()` encodes and queues the event and calls back at once: SUCCESS when queued, FAILED when
 * the writer dropped it (queue full) or after shutdown. It never throws. `forceFlush()` resolves when
 * everything exported is written and synced; `shutdown()` is idempotent, flushes and releases the run.
 */
export class TensorBoardMetricExporter implements PushMetricExporter, StepMetricExporter {
  readonly run: TensorBoardRun;
  private readonly getStep: (() => number | undefined) | undefined;
  /** Encodes a collection as the event `metricsToSummaries` would give, keeping each series' tag. */
  private readonly encoder: MetricEventEncoder;
  private exports = 0;
  private stepWarned = false;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: TensorBoardMetricExporterOptions) {
    this.run = ('run' in options ? options.run : new TensorBoardRun(options)).retain();
    if (options.getStep !== undefined && typeof options.getStep !== 'function') {
      throw new TypeError('TensorBoardMetricExporter: getStep must be a function');
    }
    this.getStep = options.getStep;
    this.encoder = new MetricEventEncoder(options.omitAttribute ?? defaultOmitAttribute, this.run.scalarForm);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.exportAt(undefined, metrics, resultCallback);
  }

  /** Writes `metrics` at training step `step` (a non-negative safe integer; else as `export()`). */
  exportStep(step: number, metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.exportAt(Number.isSafeInteger(step) && step >= 0 ? step : undefined, metrics, resultCallback);
  }

  private exportAt(
    step: number | undefined,
    metrics: ResourceMetrics,
    resultCallback: (result: ExportResult) => void,
  ): void {
    let result: ExportResult;
    try {
      result = this.exportNow(metrics, step);
    } catch (err) {
      result = { code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) };
    }
    try {
      resultCallback(result);
    } catch (err) {
      diag.error('TensorBoardMetricExporter: the export result callback threw', err);
    }
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return instrumentType === InstrumentType.UP_DOWN_COUNTER ||
      instrumentType === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
      ? AggregationTemporality.CUMULATIVE
      : AggregationTemporality.DELTA;
  }

  /** Resolves once every exported point is written and synced. */
  forceFlush(): Promise<void> {
    if (this.shutdownPromise) return this.shutdownPromise;
    return this.run.flush();
  }

  /** For process exit: writes everything exported so far synchronously and syncs the file. */
  forceFlushSync(): void {
    this.run.flushSync();
  }

  /** Flushes and releases the run (closing it when no other exporter uses it). Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.run.release();
    return this.shutdownPromise;
  }

  private exportNow(metrics: ResourceMetrics, given: number | undefined): ExportResult {
    if (this.shutdownPromise) {
      return {
        code: ExportResultCode.FAILED,
        error: new Error('TensorBoardMetricExporter: export after shutdown'),
      };
    }
    const step = given ?? this.step();
    this.exports++;
    // The bytes of `run.addSummaries(step, metricsToSummaries(metrics, ...))`, encoded directly.
    const event = this.encoder.encode(metrics, step, Date.now() / 1000);
    if (event === undefined || this.run.writer.writeRecord(event)) return { code: ExportResultCode.SUCCESS };
    return {
      code: ExportResultCode.FAILED,
      error: new Error(
        `TensorBoardMetricExporter(${this.run.dir}): the event writer dropped the export (queue full)`,
      ),
    };
  }

  private step(): number {
    let step: number | undefined;
    try {
      step = this.getStep?.();
    } catch (err) {
      this.warnStep('getStep() threw', err);
    }
    if (step === undefined) return this.exports;
    if (!Number.isSafeInteger(step)) {
      this.warnStep(`getStep() returned ${String(step)}, not an integer`);
      return this.exports;
    }
    return step;
  }

  private warnStep(message: string, err?: unknown): void {
    if (this.stepWarned) return;
    this.stepWarned = true;
    diag.warn(`TensorBoardMetricExporter: ${message}; using the export count as step`, err);
  }
}
