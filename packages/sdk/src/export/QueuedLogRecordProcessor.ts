import type { LogRecordExporter, LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { DropCounter } from '../internal/DropCounter.js';
import { ExportQueue, type ExportQueueSettings } from './ExportQueue.js';
import { estimateLogRecord } from './estimateSize.js';
import { sendBatch } from './sendBatch.js';

export interface QueuedLogRecordProcessorOptions extends ExportQueueSettings {
  /** The handler name (drop counts, diagnostics, queue metrics). */
  name: string;
  /** Milliseconds a partial batch waits before it is sent. */
  scheduledDelayMs: number;
  shutdownTimeoutMs: number;
  drops: DropCounter;
}

/**
 * Sends log records to an exporter (OTLP) through a bounded, retrying {@link ExportQueue}: `onEmit`
 * only appends to the queue, so a receiver that is down, slow or failing never slows the caller, and
 * a failed batch is kept and retried instead of being lost after the exporter's own retries.
 * Takes the place of OTel's BatchLogRecordProcessor, whose queue drops silently when full.
 */
export class QueuedLogRecordProcessor implements LogRecordProcessor {
  readonly queue: ExportQueue<SdkLogRecord>;
  private shutdownPromise: Promise<void> | undefined;

  constructor(
    private readonly exporter: LogRecordExporter,
    options: QueuedLogRecordProcessorOptions,
  ) {
    this.queue = new ExportQueue<SdkLogRecord>({
      ...options,
      signal: 'logs',
      sizeOf: estimateLogRecord,
      send: (batch, done) => sendBatch(exporter, batch, done),
    });
  }

  onEmit(record: SdkLogRecord): void {
    this.queue.push(record);
  }

  async forceFlush(): Promise<void> {
    await this.queue.forceFlush();
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      await this.queue.shutdown();
      await this.exporter.shutdown().catch(() => undefined);
    })();
    return this.shutdownPromise;
  }
}
