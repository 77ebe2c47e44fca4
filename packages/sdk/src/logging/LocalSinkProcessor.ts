import { diag } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type {
  LogRecordExporter,
  LogRecordProcessor,
  ReadableLogRecord,
  SdkLogRecord,
} from '@opentelemetry/sdk-logs';
import type { DropCounter } from '../internal/DropCounter.js';
import type { ExportErrorCounter } from '../internal/ExportErrorCounter.js';

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
 * caller's stack: `onEmit` only appends to a bounded queue. Unlike OTel's BatchLogRecordProcessor it
 * counts every record it cannot deliver (queue full, export failure, after shutdown) and can drain
 * its queue synchronously when the process exits (`flushSync`), so `process.exit()` loses nothing
 * on sinks whose exporter supports it.
 */
export class LocalSinkProcessor implements LogRecordProcessor {
  private queue: ReadableLogRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private chain: Promise<void> = Promise.resolve();
  private shutdownPromise: Promise<void> | undefined;
  private readonly batchSize: number;
  private readonly triggerSize: number;
  private failureReported = false;
  private failing = false;

  constructor(
    private readonly exporter: SyncLogRecordExporter,
    private readonly options: LocalSinkProcessorOptions,
  ) {
    this.batchSize = Math.max(1, Math.min(options.maxExportBatchSize ?? 1024, options.maxQueueSize));
    this.triggerSize = Math.max(1, Math.min(options.exportTriggerSize ?? this.batchSize, this.batchSize));
  }

  onEmit(record: SdkLogRecord): void {
    if (this.shutdownPromise) {
      this.options.drops.record('logs', 'shutdown', this.options.name);
      return;
    }
    if (this.queue.length >= this.options.maxQueueSize) {
      this.options.drops.record('logs', 'queue_full', this.options.name);
      return;
    }
    this.queue.push(record);
    this.schedule();
  }

  /** An export soon when the trigger size is reached, else at the end of the flush interval. */
  private schedule(): void {
    if (this.queue.length >= this.triggerSize) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        void this.drain();
      }).unref();
    } else {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.options.flushIntervalMs).unref();
    }
  }

  /** Exports everything queued so far, then flushes the exporter (written and synced). */
  async forceFlush(): Promise<void> {
    await this.drain();
    await this.exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      await this.drain();
      await this.exporter.shutdown();
    })();
    return this.shutdownPromise;
  }

  /** For the 'exit' event: writes what is queued synchronously, when the exporter can. */
  flushSync(): void {
    const batch = this.queue;
    try {
      // What earlier async exports accepted goes first, so the file keeps the records' order.
      this.exporter.forceFlushSync?.();
      if (!this.exporter.exportSync || batch.length === 0) return;
      this.queue = [];
      this.exporter.exportSync(batch);
    } catch (err) {
      this.options.drops.record('logs', 'export_failed', this.options.name, batch.length);
      diag.error(`grpo-otel: ${this.options.name}: synchronous flush at exit failed`, err);
    }
  }

  get queued(): number {
    return this.queue.length;
  }

  private drain(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.chain = this.chain.then(async () => {
      // Only what is queued now: a trainer logging faster than the sink writes must not keep a
      // flush (e.g. on SIGTERM) from ever ending; later records get the next drain.
      let remaining = this.queue.length;
      while (remaining > 0 && this.queue.length > 0) {
        const batch = this.queue.splice(0, Math.min(this.batchSize, remaining));
        remaining -= batch.length;
        await this.exportBatch(batch);
      }
      if (this.queue.length > 0 && !this.shutdownPromise) this.schedule();
    });
    return this.chain;
  }

  private exportBatch(batch: ReadableLogRecord[]): Promise<void> {
    return new Promise((resolve) => {
      const done = (ok: boolean, error?: unknown) => {
        const { errors } = this.options;
        if (ok) {
          // Only after a failure of its own: a sink whose writer reports failures itself (the
          // TensorBoard run) has exports that succeed while its writes fail.
          if (this.failing) errors?.succeeded(this.options.name);
          this.failing = false;
        } else if (errors) {
          this.failing = true;
          this.options.drops.record('logs', 'export_failed', this.options.name, batch.length);
          errors.record('logs', this.options.name, error, batch.length);
        } else {
          this.options.drops.record('logs', 'export_failed', this.options.name, batch.length);
          if (!this.failureReported) {
            this.failureReported = true;
            diag.error(
              `grpo-otel: handler '${this.options.name}' failed to export ${batch.length} records`,
              error,
            );
          }
        }
        resolve();
      };
      try {
        this.exporter.export(batch, (result) => done(result.code === ExportResultCode.SUCCESS, result.error));
      } catch (err) {
        done(false, err);
      }
    });
  }
}
