import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { DropCounter, DropSignal } from './DropCounter.js';
import type { ExportErrorCounter } from './ExportErrorCounter.js';

/** What a local sink writes through: OTel's exporter shape, plus synchronous writes for the exit. */
export interface LocalBatchExporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  /** Writes items synchronously (throws on failure), for the process's 'exit' event. */
  exportSync?(items: readonly T[]): void;
  forceFlush(): Promise<void>;
  /** Synchronously writes whatever earlier `export` calls accepted but have not written yet. */
  forceFlushSync?(): void;
  shutdown(): Promise<void>;
}

export interface LocalBatchQueueOptions<T> {
  /** Which signal's drops the queue counts. */
  signal: DropSignal;
  /** The handler name, used in drop counts and diagnostics. */
  name: string;
  /** Milliseconds between background exports. */
  flushIntervalMs: number;
  /** Items held before new ones are dropped (and counted). */
  maxQueueSize: number;
  /** Items per export call at most (default 1024). */
  maxExportBatchSize?: number;
  /**
   * Queued items that start an export before the flush interval (default `maxExportBatchSize`). When
   * more are queued by then, one export takes up to `maxExportBatchSize`, so a small trigger does not
   * mean small writes under load.
   */
  exportTriggerSize?: number;
  drops: DropCounter;
  /**
   * Failed exports, counted by cause and reported once per cause (grpo.sdk.export.errors). Without
   * it, the first failure is reported through `diag.error`.
   */
  errors?: ExportErrorCounter;
  /** Awaited before each export with its batch (e.g. the resource's asynchronous attributes). */
  beforeExport?(batch: readonly T[]): Promise<void>;
  /** The item as it can be written synchronously at exit (default: itself). */
  syncView?(item: T): T;
}

/**
 * The queue behind every local sink (console, file, CSV, TensorBoard text, the trace file): the
 * caller only appends to a bounded queue; exports run off its stack, one at a time, every flush
 * interval or as soon as the trigger size is queued. Unlike OTel's batch processors it counts every
 * item it cannot deliver (queue full, export failure, after shutdown) and drains synchronously when
 * the process exits (`flushSync`), so `process.exit()` loses nothing on sinks that can write
 * synchronously. Idempotent shutdown that exports everything first.
 */
export class LocalBatchQueue<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private chain: Promise<void> = Promise.resolve();
  private shutdownPromise: Promise<void> | undefined;
  private readonly batchSize: number;
  private readonly triggerSize: number;
  private failureReported = false;
  private failing = false;

  constructor(
    private readonly exporter: LocalBatchExporter<T>,
    private readonly options: LocalBatchQueueOptions<T>,
  ) {
    this.batchSize = Math.max(1, Math.min(options.maxExportBatchSize ?? 1024, options.maxQueueSize));
    this.triggerSize = Math.max(1, Math.min(options.exportTriggerSize ?? this.batchSize, this.batchSize));
  }

  push(item: T): void {
    if (this.shutdownPromise) {
      this.options.drops.record(this.options.signal, 'shutdown', this.options.name);
      return;
    }
    if (this.queue.length >= this.options.maxQueueSize) {
      this.options.drops.record(this.options.signal, 'queue_full', this.options.name);
      return;
    }
    this.queue.push(item);
    this.schedule();
  }

  get queued(): number {
    return this.queue.length;
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
      // What earlier async exports accepted goes first, so the file keeps the order.
      this.exporter.forceFlushSync?.();
      if (!this.exporter.exportSync || batch.length === 0) return;
      this.queue = [];
      const view = this.options.syncView;
      this.exporter.exportSync(view ? batch.map(view) : batch);
    } catch (err) {
      this.options.drops.record(this.options.signal, 'export_failed', this.options.name, batch.length);
      diag.error(`grpo-otel: ${this.options.name}: synchronous flush at exit failed`, err);
    }
  }

  private drain(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.chain = this.chain.then(async () => {
      // Only what is queued now: a trainer logging faster than the sink writes must not keep a
      // flush (e.g. on SIGTERM) from ever ending; later items get the next drain.
      let remaining = this.queue.length;
      while (remaining > 0 && this.queue.length > 0) {
        const batch = this.queue.splice(0, Math.min(this.batchSize, remaining));
        remaining -= batch.length;
        await this.options.beforeExport?.(batch);
        await this.exportBatch(batch);
      }
      if (this.queue.length > 0 && !this.shutdownPromise) this.schedule();
    });
    return this.chain;
  }

  private exportBatch(batch: T[]): Promise<void> {
    return new Promise((resolve) => {
      const { signal, name, drops, errors } = this.options;
      const done = (ok: boolean, error?: unknown) => {
        if (ok) {
          // Only after a failure of its own: a sink whose writer reports failures itself (the
          // TensorBoard run) has exports that succeed while its writes fail.
          if (this.failing) errors?.succeeded(name);
          this.failing = false;
        } else if (errors) {
          this.failing = true;
          drops.record(signal, 'export_failed', name, batch.length);
          errors.record(signal, name, error, batch.length);
        } else {
          drops.record(signal, 'export_failed', name, batch.length);
          if (!this.failureReported) {
            this.failureReported = true;
            diag.error(
              `grpo-otel: handler '${name}' failed to export ${batch.length} ${signal === 'traces' ? 'spans' : 'records'}`,
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
