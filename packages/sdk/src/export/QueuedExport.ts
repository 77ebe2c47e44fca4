import type { DropCounter } from '../internal/DropCounter.js';
import { ExportQueue, type ExportQueueOptions, type ExportQueueSettings } from './ExportQueue.js';

/** What every queued OTLP export takes besides the queue's bounds and retry settings. */
export interface QueuedExportOptions extends ExportQueueSettings {
  /** The handler name (drop counts, diagnostics, queue metrics). */
  name: string;
  /** How long shutdown keeps trying to deliver what is held before counting it as dropped. */
  shutdownTimeoutMs: number;
  drops: DropCounter;
}

/** Options of the queued log and span processors: batches wait this long for more records. */
export interface QueuedBatchOptions extends QueuedExportOptions {
  /** Milliseconds a partial batch waits before it is sent. */
  scheduledDelayMs: number;
}

/**
 * An exporter behind a bounded, retrying {@link ExportQueue}: the part the queued log processor, span
 * processor and metric exporter share. Flushing flushes the queue; shutdown drains it (bounded by
 * `shutdownTimeoutMs`, the rest counted as dropped), then shuts the exporter down. Idempotent.
 */
export abstract class QueuedExport<T> {
  readonly queue: ExportQueue<T>;
  private shutdownPromise: Promise<void> | undefined;

  protected constructor(
    protected readonly exporter: { shutdown(): Promise<void> },
    options: ExportQueueOptions<T>,
  ) {
    this.queue = new ExportQueue<T>(options);
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
