import type { DropCounter } from '../internal/DropCounter.js';
import {
  ExportQueue,
  type ExportQueueOptions,
  type ExportQueueSettings,
  type ShutdownLoss,
} from './ExportQueue.js';
import type { ShutdownDeadline } from './ShutdownDeadline.js';

/** What every queued OTLP export takes besides the queue's bounds and retry settings. */
export interface QueuedExportOptions extends ExportQueueSettings {
  /** The handler name (drop counts, diagnostics, queue metrics). */
  name: string;
  /** How long shutdown keeps trying to deliver what is held before counting it as dropped. */
  shutdownTimeoutMs: number;
  /** A deadline shared with other queues' shutdowns (see ExportQueueOptions). */
  deadline?: ShutdownDeadline;
  /** Where the export goes (for messages). */
  destination?: string;
  /** Told what shutdown could not deliver (see ExportQueueOptions). */
  onShutdownLoss?: (loss: ShutdownLoss) => void;
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
  protected readonly deadline: ShutdownDeadline | undefined;

  protected constructor(
    protected readonly exporter: { shutdown(): Promise<void> },
    options: ExportQueueOptions<T>,
  ) {
    this.queue = new ExportQueue<T>(options);
    this.deadline = options.deadline;
  }

  async forceFlush(): Promise<void> {
    await this.queue.forceFlush();
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      await this.queue.shutdown();
      // OTel's exporter waits for its requests in flight (and their retries, up to its timeout): not
      // past the shared deadline, where what they carried has been counted as dropped already.
      const done = this.exporter.shutdown();
      await (this.deadline ? this.deadline.race(done) : done.catch(() => undefined));
    })();
    return this.shutdownPromise;
  }
}
