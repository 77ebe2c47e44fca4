import type { LogRecordExporter, LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { estimateLogRecord } from './estimateSize.js';
import { type QueuedBatchOptions, QueuedExport } from './QueuedExport.js';
import { sendBatch } from './sendBatch.js';

export type QueuedLogRecordProcessorOptions = QueuedBatchOptions;

/**
 * Sends log records to an exporter (OTLP) through a bounded, retrying {@link ExportQueue}: `onEmit`
 * only appends to the queue, so a receiver that is down, slow or failing never slows the caller, and
 * a failed batch is kept and retried instead of being lost after the exporter's own retries.
 * Takes the place of OTel's BatchLogRecordProcessor, whose queue drops silently when full.
 */
export class QueuedLogRecordProcessor extends QueuedExport<SdkLogRecord> implements LogRecordProcessor {
  constructor(exporter: LogRecordExporter, options: QueuedLogRecordProcessorOptions) {
    super(exporter, {
      ...options,
      signal: 'logs',
      sizeOf: estimateLogRecord,
      send: (batch, done) => sendBatch(exporter, batch, done),
    });
  }

  onEmit(record: SdkLogRecord): void {
    this.queue.push(record);
  }
}
