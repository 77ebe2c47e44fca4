import { diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import {
  type MetricProducer,
  MetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { DropCounter } from '../internal/DropCounter.js';

export interface StepMetricReaderOptions {
  exporter: PushMetricExporter;
  /** Name for drop counts and diagnostics. */
  name: string;
  drops: DropCounter;
  metricProducers?: MetricProducer[];
  /**
   * Called with the step of a collection right before it is handed to the exporter, so a step-keyed
   * exporter (whose `getStep` reads it) writes every point at the step it was collected for, even when
   * the trainer has moved on by the time the export runs.
   */
  setExportStep?: (step: number) => void;
}

/**
 * A metric reader keyed by training step instead of time: it collects when the trainer reaches a
 * logging step (`collectAtStep`), not on a timer, and hands the collection to a push exporter that
 * reads the step from the SDK (e.g. the TensorBoard exporter, so every point sits at the trainer's
 * exact step). Collections are exported one at a time, in order. The exporter's aggregation
 * temporality is used (TensorBoard asks for delta, so a step's histogram holds that step's values).
 */
export class StepMetricReader extends MetricReader {
  private readonly exporter: PushMetricExporter;
  private chain: Promise<void> = Promise.resolve();
  private failureReported = false;

  constructor(private readonly options: StepMetricReaderOptions) {
    super({
      ...(options.exporter.selectAggregationTemporality
        ? {
            aggregationTemporalitySelector: options.exporter.selectAggregationTemporality.bind(
              options.exporter,
            ),
          }
        : {}),
      ...(options.exporter.selectAggregation
        ? { aggregationSelector: options.exporter.selectAggregation.bind(options.exporter) }
        : {}),
      ...(options.metricProducers ? { metricProducers: options.metricProducers } : {}),
    });
    this.exporter = options.exporter;
  }

  private lastStep: number | undefined;

  /**
   * Collects everything recorded since the previous collection and exports it at `step`. `ready`
   * (e.g. "the analysis worker has answered for this step") is awaited first, so results computed
   * off the training thread for this step are in this collection.
   */
  collectAtStep(step: number | undefined, ready?: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (ready) await ready();
      await this.collectAndExport(step ?? this.lastStep);
    });
    return this.chain;
  }

  protected async onForceFlush(): Promise<void> {
    await this.collectAtStep(undefined);
    await this.exporter.forceFlush();
  }

  protected async onShutdown(): Promise<void> {
    await this.collectAtStep(undefined);
    await this.exporter.shutdown();
  }

  private async collectAndExport(step: number | undefined): Promise<void> {
    if (step !== undefined) this.lastStep = step;
    let metrics: ResourceMetrics;
    try {
      const { resourceMetrics, errors } = await this.collect();
      if (errors.length) diag.warn(`grpo-otel: ${this.options.name}: metric collection errors`, errors);
      metrics = resourceMetrics;
    } catch (err) {
      diag.error(`grpo-otel: ${this.options.name}: collection failed`, err);
      return;
    }
    const points = metrics.scopeMetrics.reduce(
      (n, s) => n + s.metrics.reduce((m, x) => m + x.dataPoints.length, 0),
      0,
    );
    if (points === 0) return;
    if (this.lastStep !== undefined) this.options.setExportStep?.(this.lastStep);
    await new Promise<void>((resolve) => {
      try {
        this.exporter.export(metrics, (result) => {
          if (result.code !== ExportResultCode.SUCCESS) {
            this.options.drops.record('metrics', 'export_failed', this.options.name, points);
            if (!this.failureReported) {
              this.failureReported = true;
              diag.error(`grpo-otel: ${this.options.name}: metric export failed`, result.error);
            }
          }
          resolve();
        });
      } catch (err) {
        this.options.drops.record('metrics', 'export_failed', this.options.name, points);
        diag.error(`grpo-otel: ${this.options.name}: metric export threw`, err);
        resolve();
      }
    });
  }
}
