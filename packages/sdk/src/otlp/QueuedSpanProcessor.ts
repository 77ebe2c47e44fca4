import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { estimateSpan } from './estimateSize.js';
import { type QueuedBatchOptions, QueuedExport } from './QueuedExport.js';
import { sendBatch } from './sendBatch.js';

export type QueuedSpanProcessorOptions = QueuedBatchOptions;

/**
 * Sends ended, sampled spans to an exporter (OTLP) through a bounded, retrying {@link ExportQueue};
 * takes the place of OTel's BatchSpanProcessor (see QueuedLogRecordProcessor).
 */
export class QueuedSpanProcessor extends QueuedExport<ReadableSpan> implements SpanProcessor {
  constructor(exporter: SpanExporter, options: QueuedSpanProcessorOptions) {
    super(exporter, {
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
}
