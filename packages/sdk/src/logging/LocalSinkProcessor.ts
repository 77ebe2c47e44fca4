import type {
  LogRecordExporter,
  LogRecordProcessor,
  ReadableLogRecord,
  SdkLogRecord,
} from '@opentelemetry/sdk-logs';
import { LocalBatchQueue, type LocalBatchQueueOptions } from '../internal/LocalBatchQueue.js';

/** An exporter that can also write synchronously, for the process's 'exit' event. */
export interface SyncLogRecordExporter extends LogRecordExporter {
  /** Writes records synchronously (throws on failure). */
  exportSync?(records: readonly ReadableLogRecord[]): void;
  /** Synchronously writes whatever earlier `export` calls accepted but have not written yet. */
  forceFlushSync?(): void;
}

/** A local log sink's queue settings: the handler name, flush interval, bounds, drop and error counters. */
export type LocalSinkProcessorOptions = Omit<
  LocalBatchQueueOptions<ReadableLogRecord>,
  'signal' | 'beforeExport' | 'syncView'
>;

/**
 * Batches log records for a local sink (console, file, CSV, TensorBoard) and exports them off the
 * caller's stack: `onEmit` only appends to a bounded queue (`LocalBatchQueue`: its `forceFlush`,
 * `shutdown`, and `flushSync` for the process's exit). Unlike OTel's BatchLogRecordProcessor it counts
 * every record it cannot deliver (queue full, export failure, after shutdown) and can drain its queue
 * synchronously when the process exits, so `process.exit()` loses nothing on sinks whose exporter
 * supports it.
 */
export class LocalSinkProcessor extends LocalBatchQueue<ReadableLogRecord> implements LogRecordProcessor {
  constructor(exporter: SyncLogRecordExporter, options: LocalSinkProcessorOptions) {
    super(exporter, { ...options, signal: 'logs' });
  }

  onEmit(record: SdkLogRecord): void {
    this.push(record);
  }
}
