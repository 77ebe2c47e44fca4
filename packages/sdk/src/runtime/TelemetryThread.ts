import type { Worker } from 'node:worker_threads';
import { RunningStats } from '@grpo-otel/metrics';
import { generateRunId } from '@grpo-otel/semconv';
import {
  type Context,
  context,
  diag,
  propagation,
  ROOT_CONTEXT,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { AlwaysOffSampler, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { SignalNotice } from '../analysis/AnalysisResult.js';
import { channelRoutes, levelThreshold } from '../config/channelRoutes.js';
import type { ResolvedConfig } from '../config/ResolvedConfig.js';
import type { DropEntry, DropReason, DropSignal } from '../internal/DropCounter.js';
import {
  createRingBuffer,
  RING_ACK,
  RING_CLOSED,
  RING_SIGNAL_LISTENERS,
  RingWriter,
  ringHeader,
  sharedValue,
  waitAsync,
} from '../internal/FrameRing.js';
import { StringSanitizer } from '../internal/StringSanitizer.js';
import { spawnWorker } from '../internal/spawnWorker.js';
import { ChannelLogger } from '../logging/ChannelLogger.js';
import { userDiagLoggerSet } from '../logging/sdkDiagnostics.js';
import { buildResource, processAttributes } from './buildResource.js';
import { type ForwardedCall, setForwarder } from './callForwarding.js';
import { installExitHooks } from './exitHooks.js';
import { ForwardingMeter } from './ForwardingMeter.js';
import { SDK_NAME, SDK_VERSION } from './sdkVersion.js';
import type { TensorMemory } from './TrainingState.js';
import {
  F_CALL,
  F_DROP,
  F_DROPS,
  F_EXIT,
  F_FLUSH,
  F_FLUSH_SYNC,
  F_LOG,
  F_METRIC,
  F_OBSERVE,
  F_SHUTDOWN,
  F_SPAN,
  F_TENSOR_MEMORY,
  type ThreadMessage,
  type ThreadStart,
} from './threadFrames.js';

export interface TelemetryThreadOptions {
  /** Register the tracer provider as the OTel API's global (default true). */
  registerGlobal?: boolean;
  /** Drain on SIGINT/SIGTERM/exit (default true). */
  handleExit?: boolean;
  /** Environment the telemetry thread resolves OTEL_* diagnostics with (default process.env). */
  env?: Record<string, string | undefined>;
}

/** The trace context of the call being captured: ids, or '' outside a span. */
function callContext(): [string, string, number] {
  const sc = trace.getSpanContext(context.active());
  return sc ? [sc.traceId, sc.spanId, sc.traceFlags] : ['', '', 0];
}

/** Read once: `performance.timeOrigin` is a getter that costs more than `performance.now()`. */
const TIME_ORIGIN = performance.timeOrigin;

function epochNow(): number {
  return TIME_ORIGIN + performance.now();
}

/** Ended spans, handed to the telemetry thread's span sinks (the trace file, OTLP). */
class SpanForwarder implements SpanProcessor {
  constructor(private readonly thread: TelemetryThread) {}
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    const sc = span.spanContext();
    const scope = span.instrumentationScope;
    this.thread.write(
      [
        F_SPAN,
        span.name,
        span.kind,
        sc.traceId,
        sc.spanId,
        sc.traceFlags,
        sc.traceState?.serialize() ?? '',
        span.parentSpanContext?.spanId ?? '',
        span.startTime[0],
        span.startTime[1],
        span.endTime[0],
        span.endTime[1],
        span.status.code,
        span.status.message ?? '',
        span.attributes,
        span.events.map((e) => [
          e.name,
          e.time[0],
          e.time[1],
          e.attributes ?? {},
          e.droppedAttributesCount ?? 0,
        ]),
        span.links.map((l) => [
          l.context.traceId,
          l.context.spanId,
          l.context.traceFlags,
          l.attributes ?? {},
          l.droppedAttributesCount ?? 0,
        ]),
        scope.name,
        scope.version ?? '',
        scope.schemaUrl ?? '',
        span.droppedAttributesCount,
        span.droppedEventsCount,
        span.droppedLinksCount,
      ],
      'traces',
      span.name,
    );
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/**
 * The training thread's side of the telemetry thread (`telemetry_thread.enabled`): the public calls
 * are forwarded here (see `callForwarding`) and written into the shared ring with their time and
 * trace context; the tracer provider stays here (your spans and context), its ended spans go to the
 * ring too. Everything else (GrpoTelemetry and its sinks) runs on the telemetry thread. Flushes are
 * acknowledged by the telemetry thread once its sinks have written; `process.exit()`, uncaught errors
 * and signals drain it synchronously, within `telemetry_thread.exit_timeout`.
 */
export class TelemetryThread {
  readonly config: ResolvedConfig;
  readonly runId: string;
  readonly resource: Resource;
  readonly tracerProvider: NodeTracerProvider;
  readonly tracer: Tracer;
  /** `getMeter()`: measurements handed to the telemetry thread, observables read here at each step. */
  readonly meter: ForwardingMeter;
  /** Drops the training thread counts itself (a full ring), sent to the telemetry thread's counter. */
  readonly drops = {
    record: (s: DropSignal, r: DropReason, w: string, n = 1, warn = true) => this.drop(s, r, w, n, warn),
  };
  private readonly shared: Float64Array;
  private readonly ring: RingWriter;
  private readonly header: Int32Array;
  private readonly worker: Worker;
  private readonly levels = new Map<string, number>();
  private readonly routes = new Map<string, string[]>();
  private readonly rootLevel: number;
  private readonly signalCallbacks = new Set<(s: SignalNotice) => void>();
  private readonly pendingDrops = new Map<string, [DropSignal, DropReason, string, number]>();
  private readonly warnedDrops = new Set<string>();
  private readonly ownLoggers = new Map<string, ChannelLogger>();
  private tensorMemory: (() => TensorMemory) | undefined;
  private readonly memoryPeaks = new Map<string, number>();
  private readonly rssSamples = new RunningStats();
  private seq = 0;
  /** `drops()` calls waiting for the telemetry thread's answer, by sequence number. */
  private readonly dropAnswers = new Map<number, (drops: DropEntry[] | undefined) => void>();
  /** The telemetry thread's counts once it shut down. */
  private finalDrops: DropEntry[] | undefined;
  private closed = false;
  /** Dropping calls after a full ring's wait timed out, until it is half empty. */
  private shedding = false;
  private failed = false;
  private shutdownPromise: Promise<void> | undefined;
  private removeExitHooks: (() => void) | undefined;
  private readonly registeredGlobal: boolean;

  constructor(config: ResolvedConfig, options: TelemetryThreadOptions = {}) {
    this.runId = config.resource.runId ?? generateRunId();
    this.config = { ...config, resource: { ...config.resource, runId: this.runId } };
    const sanitizer = new StringSanitizer(config.limits.maxStringLength, config.limits.redact, () => {});
    this.resource = buildResource(this.config, this.runId, sanitizer);
    for (const r of channelRoutes(this.config)) {
      this.levels.set(r.channel, levelThreshold(r.effectiveLevel));
      this.routes.set(r.channel, r.handlers);
    }
    this.rootLevel = this.levels.get('root') ?? 0;

    const sab = createRingBuffer(config.telemetryThread.ringBytes);
    this.header = ringHeader(sab);
    this.shared = sharedValue(sab);
    this.shared[0] = Number.NaN;
    this.ring = new RingWriter(sab);
    this.registeredGlobal = options.registerGlobal ?? true;
    this.worker = spawnWorker(import.meta.url, '../thread/telemetryThreadMain', {
      workerData: {
        sab,
        config: this.config,
        processAttributes: processAttributes(),
        registerGlobal: this.registeredGlobal,
        userDiag: userDiagLoggerSet(),
        env: { ...(options.env ?? process.env) },
      } satisfies ThreadStart,
    });
    this.worker.on('message', (m: ThreadMessage) => this.onMessage(m));
    this.worker.on('error', (err) => {
      this.failed = true;
      diag.error('grpo-otel: the telemetry thread failed; telemetry from here on is dropped', err);
    });
    this.worker.unref();

    const wantsSpans =
      config.otlp.traces || [...config.handlers.values()].some((h) => h.type === 'traces' && h.onThisRank);
    this.tracerProvider = new NodeTracerProvider({
      resource: this.resource,
      spanProcessors: wantsSpans ? [new SpanForwarder(this)] : [],
      ...(wantsSpans ? {} : { sampler: new AlwaysOffSampler() }),
    });
    this.tracer = this.tracerProvider.getTracer(SDK_NAME, SDK_VERSION);
    if (this.registeredGlobal) this.tracerProvider.register();
    this.meter = new ForwardingMeter({
      measure: (kind, name, options, value, attributes) => {
        const [traceId, spanId, flags] = callContext();
        this.write(
          [F_METRIC, kind, name, options, value, attributes, epochNow(), traceId, spanId, flags],
          'metrics',
          name,
        );
      },
      observe: (kind, name, options, observations) => {
        this.write([F_OBSERVE, kind, name, options, observations], 'metrics', name);
      },
    });
    setForwarder((call, args) => this.call(call, args));
    if (options.handleExit ?? true) this.removeExitHooks = installExitHooks(this);
  }

  /** The latest training accuracy the analyses reported (for the generalization gap of a validation pass). */
  get recentTrainingAccuracy(): number {
    return this.shared[0] as number;
  }

  /** The handler names a channel's records go to (as the telemetry thread routes them). */
  handlersOf(channel: string): string[] {
    return this.routes.get(channel) ?? this.routes.get('root') ?? [];
  }

  /** The telemetry thread's own channel logger for `name` (level checked here, the rest there). */
  logger(name: string): ChannelLogger {
    let l = this.ownLoggers.get(name);
    if (!l) {
      l = new ChannelLogger(name);
      this.bind(l);
      this.ownLoggers.set(name, l);
    }
    return l;
  }

  /** Binds a channel logger: records that pass the channel's level are forwarded. */
  bind(logger: ChannelLogger): void {
    const name = logger.name;
    logger._bind({
      minLevel: this.levels.get(name) ?? this.rootLevel,
      drops: this.drops,
      forward: (levelno, message, attributes) => {
        const [traceId, spanId, flags] = callContext();
        this.write(
          [F_LOG, name, levelno, message, attributes, epochNow(), traceId, spanId, flags],
          'logs',
          name,
        );
      },
    });
  }

  /** A forwarded public call. */
  call(name: ForwardedCall, args: unknown[]): void {
    if (name === 'beginStep' || name === 'logTrainingProgress') this.readObservables();
    const [traceId, spanId, flags] = callContext();
    this.write([F_CALL, name, epochNow(), traceId, spanId, flags, args], 'metrics', name);
  }

  /** The registered tensor memory reader and `getMeter()`'s observables, read now and handed over. */
  private readObservables(): void {
    if (this.tensorMemory) this.noteTensorMemory();
    this.meter.collect((err) => diag.warn('grpo-otel: an observable instrument callback threw', err));
  }

  onSignal(callback: (s: SignalNotice) => void): () => void {
    this.signalCallbacks.add(callback);
    Atomics.store(this.header, RING_SIGNAL_LISTENERS, this.signalCallbacks.size);
    return () => {
      this.signalCallbacks.delete(callback);
      Atomics.store(this.header, RING_SIGNAL_LISTENERS, this.signalCallbacks.size);
    };
  }

  /**
   * `logMemoryUsage()`'s answer on the training thread: the reading, with the peaks and the average
   * of the readings taken here (the telemetry thread's counters also see its metric collections).
   */
  memorySnapshot(
    m: NodeJS.MemoryUsage,
    tm: TensorMemory | undefined,
  ): {
    rss: number;
    heapUsed: number;
    heapTotal: number;
    external: number;
    arrayBuffers: number;
    peakRss: number;
    averageRss: number;
    tensors?: { numBytes: number; numTensors: number; peakBytes: number };
  } {
    const peak = (pool: string, bytes: number) => {
      const p = Math.max(this.memoryPeaks.get(pool) ?? 0, bytes);
      this.memoryPeaks.set(pool, p);
      return p;
    };
    this.rssSamples.push(m.rss);
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      peakRss: peak('rss', m.rss),
      averageRss: this.rssSamples.mean,
      ...(tm ? { tensors: { ...tm, peakBytes: peak('tensor', tm.numBytes) } } : {}),
    };
  }

  registerTensorMemory(read: () => TensorMemory): void {
    this.tensorMemory = read;
    this.noteTensorMemory();
  }

  /** Reads the tensor memory now and hands the reading over; returns it. */
  noteTensorMemory(): TensorMemory | undefined {
    if (!this.tensorMemory) return undefined;
    let m: TensorMemory;
    try {
      m = this.tensorMemory();
    } catch (err) {
      diag.warn('grpo-otel: the registered tensor memory reader threw', err);
      return undefined;
    }
    this.write([F_TENSOR_MEMORY, m.numBytes, m.numTensors], 'metrics', 'registerTensorMemory');
    return m;
  }

  /**
   * Writes one frame. A full ring: the call waits up to `telemetry_thread.block_timeout` for the
   * telemetry thread to make room; when it had to give up, the calls after it are dropped at once
   * (counted, `queue_full`) until the ring is half empty again, so a stuck sink costs the trainer one
   * timeout, not one per call. Every frame not written is counted (`queue_full`, `invalid_value`,
   * `shutdown`).
   */
  write(frame: unknown[], signal: DropSignal, where: string): boolean {
    if (this.closed || this.failed) {
      this.drop(signal, this.failed ? 'sink_unavailable' : 'shutdown', where, 1, true);
      return false;
    }
    if (this.pendingDrops.size > 0) this.sendDrops();
    if (this.shedding) {
      if (this.ring.used > this.ring.size / 2) {
        this.drop(signal, 'queue_full', where, 1, true);
        return false;
      }
      this.shedding = false;
    }
    let res = this.ring.write(frame);
    if (res === 'full') {
      const deadline = performance.now() + this.config.telemetryThread.blockTimeoutMs;
      while (res === 'full') {
        const left = deadline - performance.now();
        if (left <= 0 || Atomics.load(this.header, RING_CLOSED) !== 0) break;
        this.ring.waitForSpace(Math.min(left, 50));
        res = this.ring.write(frame);
      }
    }
    if (res === 'ok') return true;
    if (res === 'full') this.shedding = true;
    this.drop(signal, res === 'unencodable' ? 'invalid_value' : 'queue_full', where, 1, true);
    if (res === 'too_large')
      this.warnOnce(
        `too_large:${where}`,
        `grpo-otel: a ${where} call does not fit in the telemetry ring (telemetry_thread.ring_bytes ${this.config.telemetryThread.ringBytes}); dropped`,
      );
    return false;
  }

  private drop(signal: DropSignal, reason: DropReason, where: string, count: number, warn: boolean): void {
    if (count <= 0) return;
    const key = `${signal}\u0000${reason}\u0000${where}`;
    const e = this.pendingDrops.get(key);
    if (e) e[3] += count;
    else this.pendingDrops.set(key, [signal, reason, where, count]);
    // Warned here too: the telemetry thread's counter may get it only later (or, closed, never).
    if (warn)
      this.warnOnce(
        key,
        `grpo-otel: dropping ${signal} at ${where} (${reason}); further drops of this kind are only counted`,
      );
    if (!this.closed && !this.failed) this.sendDrops();
  }

  private sendDrops(): void {
    for (const [key, d] of this.pendingDrops) {
      if (this.ring.write([F_DROP, ...d]) !== 'ok') return;
      this.pendingDrops.delete(key);
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warnedDrops.has(key) || this.warnedDrops.size > 256) return;
    this.warnedDrops.add(key);
    diag.warn(message);
  }

  private onMessage(m: ThreadMessage): void {
    if (m.type === 'signal') {
      const ctx: Context = m.traceId
        ? trace.setSpanContext(ROOT_CONTEXT, {
            traceId: m.traceId,
            spanId: m.spanId,
            traceFlags: m.traceFlags,
          })
        : ROOT_CONTEXT;
      for (const cb of [...this.signalCallbacks]) {
        try {
          context.with(ctx, () => cb(m.notice as SignalNotice));
        } catch (err) {
          diag.error('grpo-otel: an onSignal callback threw', err);
        }
      }
    } else if (m.type === 'diag') {
      diag[m.level](m.message);
    } else if (m.type === 'drops') {
      this.dropAnswers.get(m.seq)?.(m.drops);
    } else if (m.type === 'fatal') {
      this.failed = true;
      diag.error(`grpo-otel: the telemetry thread failed (${m.message}); telemetry from here on is dropped`);
    }
  }

  /** Writes a control frame (waiting for room as long as the exit timeout allows); its sequence number. */
  private control(kind: number, ...extra: unknown[]): number | undefined {
    const seq = ++this.seq;
    const deadline = performance.now() + this.config.telemetryThread.exitTimeoutMs;
    for (;;) {
      if (this.failed || Atomics.load(this.header, RING_CLOSED) !== 0) return undefined;
      const res = this.ring.write([kind, seq, ...extra]);
      if (res === 'ok') return seq;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      this.ring.waitForSpace(Math.min(left, 50));
    }
  }

  private acked(seq: number): boolean {
    return Atomics.load(this.header, RING_ACK) >= seq;
  }

  /** Blocks until the telemetry thread acknowledged `seq`; false when the timeout cut it. */
  private waitSync(seq: number | undefined): boolean {
    if (seq === undefined) return false;
    const deadline = performance.now() + this.config.telemetryThread.exitTimeoutMs;
    for (;;) {
      const cur = Atomics.load(this.header, RING_ACK);
      if (cur >= seq) return true;
      if (Atomics.load(this.header, RING_CLOSED) !== 0) return this.acked(seq);
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.header, RING_ACK, cur, Math.min(left, 100));
    }
  }

  /** Waits (without blocking the event loop) until the telemetry thread acknowledged `seq`. */
  private async waitAsync(seq: number | undefined, timeoutMs: number): Promise<boolean> {
    if (seq === undefined) return false;
    const deadline = performance.now() + timeoutMs;
    this.worker.ref();
    try {
      for (;;) {
        const cur = Atomics.load(this.header, RING_ACK);
        if (cur >= seq) return true;
        if (this.failed || Atomics.load(this.header, RING_CLOSED) !== 0) return this.acked(seq);
        const left = deadline - performance.now();
        if (left <= 0) return false;
        const r = waitAsync(this.header, RING_ACK, cur, Math.min(left, 200));
        if (r.async) await r.value;
      }
    } finally {
      if (!this.shutdownPromise) this.worker.unref();
    }
  }

  private reportCut(what: string): void {
    diag.warn(
      `grpo-otel: ${what}: the telemetry thread did not finish within telemetry_thread.exit_timeout (${this.config.telemetryThread.exitTimeoutMs / 1000} s); ${this.ring.used} bytes of telemetry were not written`,
    );
  }

  /** Everything captured so far is written by the telemetry thread's sinks (and sent over OTLP). */
  async forceFlush(): Promise<void> {
    if (this.closed) return;
    this.readObservables();
    await this.tracerProvider.forceFlush();
    // As long as the slowest OTLP export may take, plus the exit timeout for the rest.
    const ok = await this.waitAsync(this.control(F_FLUSH), this.flushTimeoutMs());
    if (!ok && !this.failed) this.reportCut('forceFlush');
  }

  private flushTimeoutMs(): number {
    let ms = this.config.otlp.timeoutMs;
    for (const h of this.config.handlers.values()) if (h.type === 'otlp') ms = Math.max(ms, h.timeoutMs);
    return ms + this.config.telemetryThread.exitTimeoutMs;
  }

  /** Synchronously: the telemetry thread's local sinks (console, files) hold everything captured. */
  flushSync(): void {
    if (this.closed) return;
    if (!this.waitSync(this.control(F_FLUSH_SYNC)) && !this.failed) this.reportCut('flush');
  }

  /**
   * For the process's 'exit' event: the telemetry thread handles everything captured, counts what the
   * network can no longer take and drains its local sinks; this thread waits for it.
   */
  exitSync(): void {
    if (this.closed) return;
    if (!this.waitSync(this.control(F_EXIT)) && !this.failed) this.reportCut('exit');
    this.closed = true;
  }

  /**
   * The drop counts of the telemetry thread's instance once it has handled every call made before
   * (this thread's own drops included: they are forwarded to it), plus those this thread could not
   * forward yet.
   */
  async dropCounts(): Promise<DropEntry[]> {
    if (!this.closed && !this.failed && this.pendingDrops.size > 0) this.sendDrops();
    const withHeld = (drops: DropEntry[]): DropEntry[] => {
      for (const [signal, reason, where, count] of this.pendingDrops.values()) {
        const same = drops.find((d) => d.signal === signal && d.reason === reason && d.where === where);
        if (same) same.count += count;
        else drops.push({ signal, reason, where, count });
      }
      return drops;
    };
    if (this.closed) return withHeld((this.finalDrops ?? []).map((d) => ({ ...d })));
    const seq = this.control(F_DROPS);
    if (seq === undefined) return withHeld([]);
    const answer = new Promise<DropEntry[] | undefined>((resolve) => this.dropAnswers.set(seq, resolve));
    try {
      // The answer is posted before the acknowledgement: once acknowledged, it is on its way.
      const acked = await this.waitAsync(seq, this.flushTimeoutMs());
      const drops = acked
        ? await Promise.race([
            answer,
            new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000).unref()),
          ])
        : undefined;
      return withHeld(drops ?? []);
    } finally {
      this.dropAnswers.delete(seq);
    }
  }

  /** Flushes and stops the telemetry thread. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      const requestedAt = Date.now();
      await this.tracerProvider.shutdown();
      setForwarder(undefined);
      const seq = this.control(F_SHUTDOWN, requestedAt);
      if (seq !== undefined)
        this.dropAnswers.set(seq, (drops) => {
          this.finalDrops = drops;
        });
      this.worker.ref();
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      const ok = await this.waitAsync(seq, this.flushTimeoutMs());
      this.closed = true;
      if (!ok && !this.failed) this.reportCut('shutdown');
      // The exit comes after the final counts' message.
      if (ok) await Promise.race([exited, new Promise((r) => setTimeout(r, 1000).unref())]);
      if (seq !== undefined) this.dropAnswers.delete(seq);
      else await this.worker.terminate();
      if (this.registeredGlobal) {
        // What tracerProvider.register() set: the tracer provider, the context manager and the propagator.
        trace.disable();
        context.disable();
        propagation.disable();
      }
      this.removeExitHooks?.();
    })();
    return this.shutdownPromise;
  }

  get isShutdown(): boolean {
    return this.shutdownPromise !== undefined;
  }
}
