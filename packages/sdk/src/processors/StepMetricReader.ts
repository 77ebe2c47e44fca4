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

  /** Collects everything recorded since the last step and exports it (at the step the SDK reports). */
  collectAtStep(): Promise<void> {
    this.chain = this.chain.then(() => this.collectAndExport());
    return this.chain;
  }

  protected async onForceFlush(): Promise<void> {
    await this.collectAtStep();
    await this.exporter.forceFlush();
  }

  protected async onShutdown(): Promise<void> {
    await this.collectAtStep();
    await this.exporter.shutdown();
  }

  private async collectAndExport(): Promise<void> {
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
