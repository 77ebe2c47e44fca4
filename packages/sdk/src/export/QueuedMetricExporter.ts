import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  type AggregationOption,
  AggregationTemporality,
  AggregationType,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { DropCounter } from '../internal/DropCounter.js';
import { ExportQueue, type ExportQueueSettings } from './ExportQueue.js';
import { countDataPoints, estimateResourceMetrics } from './estimateSize.js';

export interface QueuedMetricExporterOptions extends ExportQueueSettings {
  name: string;
  shutdownTimeoutMs: number;
  drops: DropCounter;
}

/**
 * A PushMetricExporter that hands each collection to a bounded, retrying {@link ExportQueue} and
 * reports success at once, so the PeriodicExportingMetricReader never waits on the receiver. Each
 * collection is one queue item counted as its data points; collections that fail are kept and sent
 * in order when the receiver is back. With cumulative temporality (the default) the newest collection
 * carries every counter's and histogram's total, so dropping the oldest ones loses intermediate points
 * (gauge history), never counts.
 */
export class QueuedMetricExporter implements PushMetricExporter {
  readonly queue: ExportQueue<ResourceMetrics>;
  private shutdownPromise: Promise<void> | undefined;

  constructor(
    private readonly exporter: PushMetricExporter,
    options: QueuedMetricExporterOptions,
  ) {
    this.queue = new ExportQueue<ResourceMetrics>({
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
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    if (countDataPoints(metrics) > 0) this.queue.push(metrics);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  async forceFlush(): Promise<void> {
    await this.queue.forceFlush();
    await this.exporter.forceFlush().catch(() => undefined);
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      await this.queue.shutdown();
      await this.exporter.shutdown().catch(() => undefined);
    })();
    return this.shutdownPromise;
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.exporter.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.exporter.selectAggregation?.(instrumentType) ?? { type: AggregationType.DEFAULT };
  }
}
