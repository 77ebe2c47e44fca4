import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { DropCounter, DropReason, DropSignal } from '../internal/DropCounter.js';
import { exportErrorType, isPermanentExportError } from './exportErrorType.js';
import type { ShutdownDeadline } from './ShutdownDeadline.js';

/** Which records give way when the queue is full. */
export type OverflowPolicy = 'drop_oldest' | 'drop_newest';

/** What a queue could not deliver by the end of its shutdown (counted as dropped). */
export interface ShutdownLoss {
  signal: DropSignal;
  /** The queue's name (`grpo.sdk.exporter`). */
  name: string;
  /** Where it sends (for the message), when known. */
  destination?: string;
  records: number;
  reason: DropReason;
  /**
   * Why: the `error.type` of the last failed attempt (`ECONNREFUSED`, `timeout`, `503`, ...), or
   * `no answer` when the request in flight at the deadline had not failed yet.
   */
  cause: string;
}

/** The `otlp.queue` settings (durations in milliseconds here). */
export interface ExportQueueSettings {
  /** Records held at most (queued plus the batch being sent). */
  maxRecords: number;
  /** Estimated bytes held at most (queued plus the batch being sent). */
  maxBytes: number;
  overflow: OverflowPolicy;
  /** Records sent in one export request at most (log records, spans). */
  maxExportBatchSize: number;
  /** Backoff after a failed export: first wait, doubled after each failure up to the maximum. */
  retry: { initialIntervalMs: number; maxIntervalMs: number };
}

export interface ExportQueueOptions<T> extends ExportQueueSettings {
  signal: DropSignal;
  /** The sink's name: drop counts, diagnostics and the queue metrics' `grpo.sdk.exporter`. */
  name: string;
  /** Items sent per request at most (default `maxExportBatchSize`; 1 for metric collections). */
  batchItems?: number;
  /** How long a partial batch waits for more records before it is sent. */
  scheduledDelayMs: number;
  /** How long `shutdown()` keeps trying to deliver what is queued. */
  shutdownTimeoutMs: number;
  /**
   * A deadline shared with other queues (the SDK's logs, metrics and spans): their shutdowns drain in
   * parallel and stop at the same time, the first one started setting it `shutdownTimeoutMs` ahead.
   * Once it has started, `forceFlush()` returns at once (the shutdown's drain delivers).
   */
  deadline?: ShutdownDeadline;
  /** Where the queue sends (for messages). */
  destination?: string;
  /**
   * Told what shutdown could not deliver, instead of the queue's own `diag` warning (the SDK sums up
   * every signal in one line).
   */
  onShutdownLoss?: (loss: ShutdownLoss) => void;
  /** A send that has not called back after this long counts as failed (a guard; default 60 s). */
  sendTimeoutMs?: number;
  /** Records an item stands for (default 1; data points for a metric collection). */
  recordsOf?: (item: T) => number;
  /** Estimated size of an item in bytes. */
  sizeOf: (item: T) => number;
  /** Sends a batch (the OTLP exporter's `export`). */
  send: (batch: T[], done: (result: ExportResult) => void) => void;
  drops: DropCounter;
}

interface Entry<T> {
  item: T;
  records: number;
  bytes: number;
}

/** What a queue holds and has done, for the SDK's own metrics and for tests. */
export interface ExportQueueStats {
  signal: DropSignal;
  name: string;
  /** Records held now (queued plus the batch being sent). */
  records: number;
  bytes: number;
  maxRecords: number;
  maxBytes: number;
  /** The most records and bytes held at any time. */
  peakRecords: number;
  peakBytes: number;
  /** Records accepted by the receiver. */
  delivered: number;
  /** Failed export attempts by `error.type`. */
  errors: Map<string, number>;
}

/**
 * A bounded queue in front of an exporter: `push` never blocks and never throws; a background sender
 * exports batches one at a time and keeps a failed batch at the head of the queue, retrying it with
 * exponential backoff until the receiver takes it. The bound (records and estimated bytes) covers what
 * is queued plus the batch being sent; past it, the oldest queued records or the new ones are dropped
 * (per `overflow`) and counted as `queue_full`. A receiver that rejects a batch as malformed (HTTP 4xx
 * other than 408/429) is not retried: the batch is counted as `export_failed`.
 */
export class ExportQueue<T> {
  private entries: Entry<T>[] = [];
  private head = 0;
  private inflight: Entry<T>[] | undefined;
  /** Callers waiting for the batch in flight (forceFlush, shutdown): a promise only when someone waits. */
  private inflightWaiters: ((ok: boolean) => void)[] | undefined;
  private heldRecords = 0;
  private heldBytes = 0;
  private peakRecords = 0;
  private peakBytes = 0;
  private delivered = 0;
  private readonly errors = new Map<string, number>();
  private backoffMs: number;
  private failing = false;
  private lastFailed = false;
  private lastErrorType: string | undefined;
  private permanentReported = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly batchItems: number;

  constructor(private readonly options: ExportQueueOptions<T>) {
    this.batchItems = Math.max(1, options.batchItems ?? options.maxExportBatchSize);
    this.backoffMs = options.retry.initialIntervalMs;
  }

  /** Accepts an item for export, or drops and counts it (or older ones) when the queue is full. */
  push(item: T): void {
    const o = this.options;
    let records = 1;
    let bytes = 0;
    try {
      records = o.recordsOf ? o.recordsOf(item) : 1;
      bytes = o.sizeOf(item);
    } catch (err) {
      diag.debug(`grpo-otel: ${o.name}: could not size a ${o.signal} item`, err);
    }
    if (this.closed) {
      // Counted without a warning of its own: the queue closes only in shutdown, which sums up what it
      // lost, or at exit (the SDK's notice of that, logged to a channel, lands here).
      o.drops.record(o.signal, 'shutdown', o.name, records, false);
      return;
    }
    if (records > o.maxRecords || bytes > o.maxBytes) {
      // Larger than the whole queue: it can never be held.
      o.drops.record(o.signal, 'queue_full', o.name, records);
      return;
    }
    while (this.heldRecords + records > o.maxRecords || this.heldBytes + bytes > o.maxBytes) {
      if (o.overflow === 'drop_newest' || this.head >= this.entries.length) {
        o.drops.record(o.signal, 'queue_full', o.name, records);
        return;
      }
      const oldest = this.shift();
      o.drops.record(o.signal, 'queue_full', o.name, oldest.records);
    }
    this.entries.push({ item, records, bytes });
    this.heldRecords += records;
    this.heldBytes += bytes;
    if (this.heldRecords > this.peakRecords) this.peakRecords = this.heldRecords;
    if (this.heldBytes > this.peakBytes) this.peakBytes = this.heldBytes;
    this.schedule();
  }

  /**
   * Sends everything queued now, ignoring the backoff; resolves when the queue is empty or an attempt
   * failed (what failed stays queued and is retried later). Never rejects.
   */
  async forceFlush(): Promise<void> {
    // Shutting down: its drain sends everything, within the shared deadline.
    if (this.options.deadline?.started) return;
    // What was queued when the flush began; records pushed meanwhile wait for the usual schedule.
    let budget = this.queuedItems();
    while (!this.closed || this.inflight) {
      if (this.inflight) {
        if (!(await this.inflightDone())) return;
        continue;
      }
      if (budget <= 0 || this.queuedItems() === 0) return;
      budget -= this.batchItems;
      this.startSend();
    }
  }

  /**
   * Stops accepting records and keeps trying to deliver what is held (with backoff) for up to
   * `shutdownTimeoutMs`; what is left then is counted as dropped. Idempotent.
   */
  private shutdownPromise: Promise<void> | undefined;
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.drainForShutdown();
    return this.shutdownPromise;
  }

  /**
   * For the process's 'exit' event, where nothing asynchronous runs any more: stops the queue and
   * counts every record it still holds (queued, or in a request not yet acknowledged) as dropped
   * (`process_exit`). Returns that count; 0 when called again.
   */
  abandonAtExit(): number {
    this.closed = true;
    this.clearTimers();
    const records = this.heldRecords;
    // The caller says it (the SDK in one line for every queue).
    if (records > 0)
      this.options.drops.record(this.options.signal, 'process_exit', this.options.name, records, false);
    this.forget();
    return records;
  }

  /** Lets go of everything held (queued and in flight), once it has been counted. */
  private forget(): void {
    this.entries = [];
    this.head = 0;
    this.inflight = undefined;
    this.heldRecords = 0;
    this.heldBytes = 0;
  }

  stats(): ExportQueueStats {
    return {
      signal: this.options.signal,
      name: this.options.name,
      records: this.heldRecords,
      bytes: this.heldBytes,
      maxRecords: this.options.maxRecords,
      maxBytes: this.options.maxBytes,
      peakRecords: this.peakRecords,
      peakBytes: this.peakBytes,
      delivered: this.delivered,
      errors: new Map(this.errors),
    };
  }

  private async drainForShutdown(): Promise<void> {
    this.closed = true;
    this.clearTimers();
    const o = this.options;
    const deadline = o.deadline ? o.deadline.start(o.shutdownTimeoutMs) : Date.now() + o.shutdownTimeoutMs;
    let backoff = this.options.retry.initialIntervalMs;
    while (this.heldRecords > 0 && Date.now() < deadline) {
      if (!this.inflight) this.startSend();
      const done = this.inflightDone();
      if (!done) break;
      const ok = await raceDeadline(done, deadline);
      if (ok === undefined) break;
      if (!ok && this.queuedItems() > 0) {
        const wait = Math.min(backoff, deadline - Date.now());
        backoff = Math.min(backoff * 2, this.options.retry.maxIntervalMs);
        // Not unref'd: a trainer awaiting shutdown() must not exit in the middle of it (bounded by the deadline).
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
    if (this.heldRecords > 0) {
      const reason: DropReason = this.lastFailed && !this.inflight ? 'export_failed' : 'timeout';
      const cause = this.lastErrorType ?? 'no answer';
      const records = this.heldRecords;
      o.drops.record(o.signal, reason, o.name, records, !o.onShutdownLoss);
      if (o.onShutdownLoss) {
        o.onShutdownLoss({
          signal: o.signal,
          name: o.name,
          ...(o.destination !== undefined ? { destination: o.destination } : {}),
          records,
          reason,
          cause,
        });
      } else {
        diag.warn(
          `grpo-otel: ${o.name}: ${records} ${o.signal} records were not delivered by shutdown (${reason}: ${cause})`,
        );
      }
      this.forget();
    }
  }

  /** Settles with the outcome of the batch in flight (true: delivered); undefined when none is. */
  private inflightDone(): Promise<boolean> | undefined {
    if (!this.inflight) return undefined;
    return new Promise<boolean>((r) => {
      this.inflightWaiters ??= [];
      this.inflightWaiters.push(r);
    });
  }

  private queuedItems(): number {
    return this.entries.length - this.head;
  }

  private shift(): Entry<T> {
    const e = this.entries[this.head]!;
    this.entries[this.head] = undefined as unknown as Entry<T>;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    this.heldRecords -= e.records;
    this.heldBytes -= e.bytes;
    return e;
  }

  private schedule(): void {
    if (this.closed || this.inflight || this.retryTimer || this.immediate) return;
    if (this.queuedItems() >= this.batchItems) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.startSend();
      }).unref();
    } else if (this.queuedItems() > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.startSend();
      }, this.options.scheduledDelayMs).unref();
    }
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.retryTimer = this.immediate = undefined;
  }

  /** Takes the next batch off the head and sends it (one request in flight at a time). */
  private startSend(): void {
    if (this.inflight || this.queuedItems() === 0) return;
    this.clearTimers();
    const n = Math.min(this.batchItems, this.queuedItems());
    const batch = this.entries.slice(this.head, this.head + n);
    for (let i = 0; i < n; i++) this.entries[this.head + i] = undefined as unknown as Entry<T>;
    this.head += n;
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    }
    this.inflight = batch;
    let settled = false;
    const guard = setTimeout(
      () => finish({ code: ExportResultCode.FAILED, error: new Error('export did not complete in time') }),
      this.options.sendTimeoutMs ?? 60_000,
    ).unref();
    const finish = (result: ExportResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      const waiters = this.inflightWaiters;
      this.inflightWaiters = undefined;
      const ok = this.onResult(batch, result);
      if (waiters) for (const w of waiters) w(ok);
    };
    try {
      this.options.send(
        batch.map((e) => e.item),
        finish,
      );
    } catch (err) {
      finish({ code: ExportResultCode.FAILED, error: err as Error });
    }
  }

  private onResult(batch: Entry<T>[], result: ExportResult): boolean {
    const o = this.options;
    this.inflight = undefined;
    // Shutdown gave up on this batch already (counted there).
    if (this.closed && this.heldRecords === 0) return result.code === ExportResultCode.SUCCESS;
    let records = 0;
    let bytes = 0;
    for (const e of batch) {
      records += e.records;
      bytes += e.bytes;
    }
    if (result.code === ExportResultCode.SUCCESS) {
      this.lastFailed = false;
      this.lastErrorType = undefined;
      this.heldRecords -= records;
      this.heldBytes -= bytes;
      this.delivered += records;
      this.backoffMs = o.retry.initialIntervalMs;
      if (this.failing) {
        this.failing = false;
        diag.info(`grpo-otel: ${o.name}: ${o.signal} export recovered; delivering the queued records`);
      }
      // A backlog drains without waiting for the flush interval.
      if (this.queuedItems() > 0 && !this.closed) {
        this.immediate ??= setImmediate(() => {
          this.immediate = undefined;
          this.startSend();
        }).unref();
      }
      return true;
    }
    this.lastFailed = true;
    const type = exportErrorType(result.error);
    this.lastErrorType = type;
    this.errors.set(type, (this.errors.get(type) ?? 0) + 1);
    if (isPermanentExportError(result.error)) {
      this.heldRecords -= records;
      this.heldBytes -= bytes;
      o.drops.record(o.signal, 'export_failed', o.name, records);
      if (!this.permanentReported) {
        this.permanentReported = true;
        diag.error(
          `grpo-otel: ${o.name}: the receiver rejected a batch of ${records} ${o.signal} records (${type}); rejected batches are dropped, not retried`,
          result.error,
        );
      }
      this.schedule();
      return false;
    }
    // Put the batch back at the head: it stays the oldest, first to go under drop_oldest.
    if (this.head >= batch.length) {
      this.head -= batch.length;
      for (let i = 0; i < batch.length; i++) this.entries[this.head + i] = batch[i]!;
    } else {
      this.entries = batch.concat(this.entries.slice(this.head));
      this.head = 0;
    }
    if (!this.failing) {
      this.failing = true;
      // During shutdown, its summary says what was not delivered and why.
      if (!this.closed)
        diag.warn(
          `grpo-otel: ${o.name}: ${o.signal} export failed (${type}); holding up to ${o.maxRecords} records / ${o.maxBytes} bytes and retrying with backoff (${o.overflow} beyond that)`,
        );
    }
    if (!this.closed) {
      const jitter = 0.8 + Math.random() * 0.4;
      const wait = Math.min(this.backoffMs, o.retry.maxIntervalMs) * jitter;
      this.backoffMs = Math.min(this.backoffMs * 2, o.retry.maxIntervalMs);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.startSend();
      }, wait).unref();
    }
    return false;
  }
}

async function raceDeadline<T>(p: Promise<T>, deadline: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((r) => {
    // Kept alive (not unref'd) for the same reason; cleared as soon as `p` settles.
    timer = setTimeout(() => r(undefined), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([p, expired]);
  } finally {
    clearTimeout(timer);
  }
}
