import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DropCounter } from '../internal/DropCounter.js';
import { ExportQueue, type ExportQueueSettings } from './ExportQueue.js';
import { estimateSpan } from './estimateSize.js';
import { sendBatch } from './sendBatch.js';

export interface QueuedSpanProcessorOptions extends ExportQueueSettings {
  name: string;
  scheduledDelayMs: number;
  shutdownTimeoutMs: number;
  drops: DropCounter;
}

/**
 * Sends ended, sampled spans to an exporter (OTLP) through a bounded, retrying {@link ExportQueue};
 * takes the place of OTel's BatchSpanProcessor (see QueuedLogRecordProcessor).
 */
export class QueuedSpanProcessor implements SpanProcessor {
  readonly queue: ExportQueue<ReadableSpan>;
  private shutdownPromise: Promise<void> | undefined;

  constructor(
    private readonly exporter: SpanExporter,
    options: QueuedSpanProcessorOptions,
  ) {
    this.queue = new ExportQueue<ReadableSpan>({
      ...options,
      signal: 'traces',
      sizeOf: estimateSpan,
      send: (batch, done) => sendBatch(exporter, batch, done),
    });
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.queue.push(span);
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
