import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  type AggregationOption,
  AggregationTemporality,
  AggregationType,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { countDataPoints, estimateResourceMetrics } from './estimateSize.js';
import { QueuedExport, type QueuedExportOptions } from './QueuedExport.js';

export type QueuedMetricExporterOptions = QueuedExportOptions;

/**
 * A PushMetricExporter that hands each collection to a bounded, retrying {@link ExportQueue} and
 * reports success at once, so the PeriodicExportingMetricReader never waits on the receiver. Each
 * collection is one queue item counted as its data points; collections that fail are kept and sent
 * in order when the receiver is back. With cumulative temporality (the default) the newest collection
 * carries every counter's and histogram's total, so dropping the oldest ones loses intermediate points
 * (gauge history), never counts.
 */
export class QueuedMetricExporter extends QueuedExport<ResourceMetrics> implements PushMetricExporter {
  private readonly metricExporter: PushMetricExporter;

  constructor(exporter: PushMetricExporter, options: QueuedMetricExporterOptions) {
    super(exporter, {
      ...options,
      signal: 'metrics',
      batchItems: 1,
      scheduledDelayMs: 0,
      recordsOf: countDataPoints,
      sizeOf: estimateResourceMetrics,
      send: (batch, done) => {
        try {
          exporter.export(batch[0]!, done);
        } catch (err) {
          done({ code: ExportResultCode.FAILED, error: err as Error });
        }
      },
    });
    this.metricExporter = exporter;
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    if (countDataPoints(metrics) > 0) this.queue.push(metrics);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  override async forceFlush(): Promise<void> {
    await super.forceFlush();
    // During shutdown (the reader flushes before it shuts down) the drain delivers, within its deadline;
    // OTel's exporter would wait here for its requests in flight.
    if (this.deadline?.started) return;
    await this.metricExporter.forceFlush().catch(() => undefined);
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return (
      this.metricExporter.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE
    );
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.metricExporter.selectAggregation?.(instrumentType) ?? { type: AggregationType.DEFAULT };
  }
}
