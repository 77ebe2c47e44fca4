import { type Attributes, type AttributeValue, diag, TraceFlags } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DropCounter } from '../internal/DropCounter.js';
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
 * 1024 are held), off the span's `end()`. Like LocalSinkProcessor for log records: a bounded queue that
 * counts what it cannot hold or write (`traces` drops), a synchronous drain for the process's exit,
 * and a shutdown that writes everything first. Idempotent shutdown.
 */
export class LocalSpanProcessor implements SpanProcessor {
  private queue: ReadableSpan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private shutdownPromise: Promise<void> | undefined;
  private failureReported = false;
  private settling = false;

  constructor(
    private readonly exporter: SyncSpanExporter,
    private readonly options: LocalSpanProcessorOptions,
  ) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    // The host's attributes are detected asynchronously: settled as soon as they can be, so that an
    // exit soon after start finds them (OTel marks them settled only once someone waits for them).
    if (!this.settling && span.resource.asyncAttributesPending) {
      this.settling = true;
      void span.resource.waitForAsyncAttributes?.().catch(() => undefined);
    }
    if (this.shutdownPromise) {
      this.options.drops.record('traces', 'shutdown', this.options.name);
      return;
    }
    if (this.queue.length >= this.options.maxQueueSize) {
      this.options.drops.record('traces', 'queue_full', this.options.name);
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= 1024) void this.drain();
    else
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.options.flushIntervalMs).unref();
  }

  /** Writes every span ended so far and syncs the file. */
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

  /** For the process's 'exit' event: writes what is queued, synchronously. */
  flushSync(): void {
    const batch = this.queue;
    this.queue = [];
    try {
      this.exporter.forceFlushSync();
      if (batch.length > 0) this.exporter.exportSync(batch.map(settledView));
    } catch (err) {
      this.failed(batch.length, err);
    }
  }

  private drain(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.chain = this.chain.then(async () => {
      const batch = this.queue;
      this.queue = [];
      if (batch.length === 0) return;
      // As OTel's batch processors do: the host's attributes are detected asynchronously at start.
      const resource = batch[0]!.resource;
      if (resource.asyncAttributesPending) await resource.waitForAsyncAttributes?.().catch(() => undefined);
      await new Promise<void>((resolve) => {
        try {
          this.exporter.export(batch, (result) => {
            if (result.code !== ExportResultCode.SUCCESS) this.failed(batch.length, result.error);
            resolve();
          });
        } catch (err) {
          this.failed(batch.length, err);
          resolve();
        }
      });
    });
    return this.chain;
  }

  private failed(count: number, err: unknown): void {
    this.options.drops.record('traces', 'export_failed', this.options.name, count);
    if (this.failureReported) return;
    this.failureReported = true;
    diag.error(`grpo-otel: handler '${this.options.name}' failed to write ${count} spans`, err);
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
