import { type Attributes, type AttributeValue, TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DropCounter } from '../internal/DropCounter.js';
import { LocalBatchQueue } from '../internal/LocalBatchQueue.js';
import type { TraceFileSpanExporter } from './TraceFileSpanExporter.js';

export interface LocalSpanProcessorOptions {
  /** The handler name (drop counts, diagnostics). */
  name: string;
  /** Milliseconds between writes. */
  flushIntervalMs: number;
  /** Spans held before new ones are dropped (and counted). */
  maxQueueSize: number;
  drops: DropCounter;
}

/** What the processor writes through: an exporter that can also write synchronously at exit. */
type SyncSpanExporter = Pick<
  TraceFileSpanExporter,
  'export' | 'exportSync' | 'forceFlush' | 'forceFlushSync' | 'shutdown'
>;

/**
 * Batches ended, sampled spans for a local trace sink and writes them every flush interval (or when
 * 1024 are held), off the span's `end()`: the same bounded queue as LocalSinkProcessor's for log
 * records (`LocalBatchQueue`), which counts what it cannot hold or write (`traces` drops), drains
 * synchronously at the process's exit (`flushSync`), and writes everything before an idempotent
 * shutdown.
 */
export class LocalSpanProcessor extends LocalBatchQueue<ReadableSpan> implements SpanProcessor {
  private settling = false;

  constructor(exporter: SyncSpanExporter, options: LocalSpanProcessorOptions) {
    super(exporter, {
      ...options,
      signal: 'traces',
      // As OTel's batch processors do: the host's attributes are detected asynchronously at start.
      beforeExport: async (batch) => {
        const resource = batch[0]?.resource;
        if (resource?.asyncAttributesPending)
          await resource.waitForAsyncAttributes?.().catch(() => undefined);
      },
      syncView: settledView,
    });
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    // The host's attributes are detected asynchronously: settled as soon as they can be, so that an
    // exit soon after start finds them (OTel marks them settled only once someone waits for them).
    if (!this.settling && span.resource.asyncAttributesPending) {
      this.settling = true;
      void span.resource.waitForAsyncAttributes?.().catch(() => undefined);
    }
    this.push(span);
  }
}

/**
 * The span with only the resource attributes known now, for a synchronous write at exit while the
 * host's asynchronous ones are still pending (reading them then is an OpenTelemetry error).
 */
function settledView(span: ReadableSpan): ReadableSpan {
  if (!span.resource.asyncAttributesPending) return span;
  const attributes: Attributes = {};
  for (const [key, value] of span.resource.getRawAttributes()) {
    const pending = typeof (value as { then?: unknown } | undefined)?.then === 'function';
    if (value !== undefined && !pending) attributes[key] = value as AttributeValue;
  }
  return Object.create(span, { resource: { value: resourceFromAttributes(attributes) } }) as ReadableSpan;
}
