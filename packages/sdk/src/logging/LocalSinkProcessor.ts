import type {
  LogRecordExporter,
  LogRecordProcessor,
  ReadableLogRecord,
  SdkLogRecord,
} from '@opentelemetry/sdk-logs';
import type { DropCounter } from '../internal/DropCounter.js';
import type { ExportErrorCounter } from '../internal/ExportErrorCounter.js';
import { LocalBatchQueue } from '../internal/LocalBatchQueue.js';

/** An exporter that can also write synchronously, for the process's 'exit' event. */
export interface SyncLogRecordExporter extends LogRecordExporter {
  /** Writes records synchronously (throws on failure). */
  exportSync?(records: readonly ReadableLogRecord[]): void;
  /** Synchronously writes whatever earlier `export` calls accepted but have not written yet. */
  forceFlushSync?(): void;
}

export interface LocalSinkProcessorOptions {
  /** The handler name, used in drop counts and diagnostics. */
  name: string;
  /** Milliseconds between background exports. */
  flushIntervalMs: number;
  /** Records held before new ones are dropped (and counted). */
  maxQueueSize: number;
  /** Records per export call at most (default 1024). */
  maxExportBatchSize?: number;
  /**
   * Queued records that start an export before the flush interval (the CSV handler's `buffer_size`;
   * default `maxExportBatchSize`). When more are queued by then, one export takes up to
   * `maxExportBatchSize`, so a small trigger does not mean small writes under load.
   */
  exportTriggerSize?: number;
  drops: DropCounter;
  /**
   * Failed exports, counted by cause and reported once per cause (grpo.sdk.export.errors). Without
   * it, the first failure is reported through `diag.error`.
   */
  errors?: ExportErrorCounter;
}

/**
 * Batches log records for a local sink (console, file, CSV, TensorBoard) and exports them off the
 * caller's stack: `onEmit` only appends to a bounded queue (`LocalBatchQueue`). Unlike OTel's
 * BatchLogRecordProcessor it counts every record it cannot deliver (queue full, export failure, after
 * shutdown) and can drain its queue synchronously when the process exits (`flushSync`), so
 * `process.exit()` loses nothing on sinks whose exporter supports it.
 */
export class LocalSinkProcessor implements LogRecordProcessor {
  private readonly queue: LocalBatchQueue<ReadableLogRecord>;

  constructor(exporter: SyncLogRecordExporter, options: LocalSinkProcessorOptions) {
    this.queue = new LocalBatchQueue<ReadableLogRecord>(exporter, { ...options, signal: 'logs' });
  }

  onEmit(record: SdkLogRecord): void {
    this.queue.push(record);
  }

  /** Exports everything queued so far, then flushes the exporter (written and synced). */
  forceFlush(): Promise<void> {
    return this.queue.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.queue.shutdown();
  }

  /** For the 'exit' event: writes what is queued synchronously, when the exporter can. */
  flushSync(): void {
    this.queue.flushSync();
  }

  get queued(): number {
    return this.queue.queued;
  }
}
