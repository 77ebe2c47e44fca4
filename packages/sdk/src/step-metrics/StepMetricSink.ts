import type { StepMetricExporter } from '@grpo-otel/exporter-tensorboard';
import {
  type Attributes,
  type BatchObservableCallback,
  type BatchObservableResult,
  diag,
  type Observable,
  type ObservableCallback,
  type ObservableResult,
  ValueType,
} from '@opentelemetry/api';
import { ExportResultCode, hrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DropCounter } from '../internal/DropCounter.js';
import { SeriesIndex } from './SeriesIndex.js';
import { type BucketCounts, StepBuffer, type StepInstrument } from './StepBuffer.js';

/** The analysis worker, as far as the sink waits for it. */
export interface StepAnalysis {
  /** Whether a job for `step` (or an earlier one) is still unanswered. */
  pendingUpTo(step: number): boolean;
  /** Resolves when no job for a step <= `step` is unanswered, or after `timeoutMs`. */
  settled(step: number, timeoutMs: number): Promise<void>;
}

export interface StepMetricSinkOptions {
  /** Exporters keyed by step (e.g. TensorBoard): each written step goes to `exportStep(step, values)`. */
  exporters: { name: string; exporter: StepMetricExporter }[];
  resource: Resource;
  drops: DropCounter;
  /** The analysis worker, when one runs: an ended step is written once its results are in. */
  analysis?: () => StepAnalysis | undefined;
  /** Longest wait for a step's analysis results before the step is written without them. Default 60 s. */
  analysisWaitMs?: number;
  /** Longest wait for outstanding analyses on flush and shutdown. Default 5 s. */
  flushWaitMs?: number;
  /** Ended steps kept while waiting; past it the oldest is written at once. Default 1024. */
  maxBufferedSteps?: number;
  /**
   * Least time between two readings of the observable instruments (at the end of a step; flush and
   * shutdown always read). Default 0: every step.
   */
  observeIntervalMs?: number;
  /** The clock of `observeIntervalMs` (ms). Default `performance.now`. */
  now?: () => number;
  /**
   * The last step the trainer was really in. Flush and shutdown read the observables into the current
   * step, or into this one when nothing was recorded at the current step (a step after the trainer's
   * last report, which may never come). Default: the current step.
   */
  lastStep?: () => number;
}

interface Observer {
  callback: ObservableCallback | BatchObservableCallback;
  /** The instrument of a single-instrument callback; batch callbacks name theirs per observation. */
  instrument?: StepInstrument;
  batch?: Map<Observable, StepInstrument>;
}

/**
 * Metrics keyed by training step, independent of when OpenTelemetry collects: every value is added,
 * synchronously, to the buffer of the step it was recorded for (the step given by the call, e.g. an
 * analysis result's step, else the trainer's current step), and each step is handed to the exporters
 * once, as one collection, when it is complete: the trainer moved past it and the analysis worker
 * answered for it (bounded by `analysisWaitMs`), or on flush and shutdown. Observable instruments are
 * read when a step ends, at most once per `observeIntervalMs`, and at flush and shutdown. Steps are
 * written in increasing order; within a series a step is never written after a later one (TensorBoard
 * drops the later points of a series when an earlier step follows them), so a value that arrives for a
 * step whose series already went out is dropped and counted (`timeout`), never written out of order.
 */
export class StepMetricSink {
  private readonly buffers = new Map<number, StepBuffer>();
  /** Every series seen: its attributes for every step, last step written, level. */
  private readonly series = new SeriesIndex();
  private readonly observers: Observer[] = [];
  /** Takes one observable reading into a step (the observable results call it). */
  private readonly take: TakeObservation = (b, inst, value, attributes) =>
    this.takeObservation(b, inst, value, attributes);
  private current: number | undefined;
  private override: number | undefined;
  private highestWritten = Number.NEGATIVE_INFINITY;
  /** Set during a late end-of-run reading (see observeAtEnd): the step it goes into. */
  private lateFloor: number | undefined;
  private drainScheduled = false;
  private failureReported = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly analysisWaitMs: number;
  private readonly flushWaitMs: number;
  private readonly maxBufferedSteps: number;
  private readonly observeIntervalMs: number;
  private readonly now: () => number;
  private lastObservedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: StepMetricSinkOptions) {
    this.analysisWaitMs = options.analysisWaitMs ?? 60_000;
    this.flushWaitMs = options.flushWaitMs ?? 5_000;
    this.maxBufferedSteps = options.maxBufferedSteps ?? 1024;
    this.observeIntervalMs = options.observeIntervalMs ?? 0;
    this.now = options.now ?? (() => performance.now());
  }

  /** The step a value recorded now belongs to: the one given by `at`, else the current step, else 0. */
  get recordingStep(): number {
    return this.override ?? this.current ?? 0;
  }

  /** Runs `fn` with every value it records attributed to `step`. */
  at<T>(step: number, fn: () => T): T {
    const previous = this.override;
    this.override = step;
    try {
      return fn();
    } finally {
      this.override = previous;
    }
  }

  /** A synchronous instrument's measurement (OTel's rules: counters and histograms take no negatives). */
  record(instrument: StepInstrument, value: number, attributes: Attributes = {}): void {
    if (this.shutdownPromise || typeof value !== 'number') return;
    if (instrument.valueType === ValueType.INT && !Number.isInteger(value)) {
      value = Math.trunc(value);
      if (!Number.isInteger(value)) return;
    }
    if (value < 0 && (instrument.kind === 'counter' || instrument.kind === 'histogram')) return;
    const { state, attributes: carried } = this.series.get(instrument, attributes);
    if (instrument.kind === 'updowncounter') {
      value += state.level;
      state.level = value;
    }
    this.buffer(this.recordingStep).record(instrument, state, carried, value);
  }

  /** A value read for the current step (e.g. by `logMemoryUsage`); the step's end-of-step reading does not replace it. */
  recordObservation(instrument: StepInstrument, value: number, attributes: Attributes = {}): void {
    if (this.shutdownPromise || !Number.isFinite(value)) return;
    const series = this.series.get(instrument, attributes);
    this.buffer(this.recordingStep).record(instrument, series.state, series.attributes, value);
  }

  /** Bucket counts computed elsewhere (the analysis worker's histograms), for the recording step. */
  addBuckets(instrument: StepInstrument, counts: BucketCounts, attributes: Attributes = {}): void {
    if (this.shutdownPromise) return;
    const series = this.series.get(instrument, attributes);
    this.buffer(this.recordingStep).addBuckets(instrument, series.state, series.attributes, counts);
  }

  /** An observable instrument's callback, read when each step ends. */
  addObserver(instrument: StepInstrument, callback: ObservableCallback): void {
    this.observers.push({ callback, instrument });
  }

  /** A batch observable callback over `observables`, read when each step ends. */
  addBatchObserver(callback: BatchObservableCallback, observables: Map<Observable, StepInstrument>): void {
    this.observers.push({ callback, batch: observables });
  }

  removeObserver(callback: ObservableCallback | BatchObservableCallback, instrument?: StepInstrument): void {
    const i = this.observers.findIndex(
      (o) => o.callback === callback && (!instrument || o.instrument === instrument),
    );
    if (i >= 0) this.observers.splice(i, 1);
  }

  /** The trainer is at `step`: the steps before it are complete and will be written. */
  advance(step: number): void {
    if (step === this.current || this.shutdownPromise) return;
    if (this.current !== undefined && this.observeDue()) this.observeInto(this.current);
    this.current = step;
    this.scheduleDrain();
  }

  /** Writes every step buffered so far (after waiting, bounded, for outstanding analyses). */
  async flush(): Promise<void> {
    await this.options.analysis?.()?.settled(Number.POSITIVE_INFINITY, this.flushWaitMs);
    this.flushSync();
    await Promise.all(this.options.exporters.map(({ exporter }) => exporter.forceFlush()));
  }

  /** Writes every step buffered so far at once, without waiting (process exit). */
  flushSync(): void {
    this.observeAtEnd();
    this.drain(true);
  }

  /**
   * The reading of flush and shutdown: into the current step, unless it holds nothing (see `lastStep`).
   * When that step is written already (the drain after the last report, or an earlier flush), the
   * reading still goes out, as a late value at the highest step written, with the series not written
   * there yet: what shutdown itself counts (the OTLP records it could not deliver) must reach the files.
   */
  private observeAtEnd(): void {
    const c = this.current;
    if (c === undefined) return;
    const last = this.options.lastStep?.();
    const step = this.buffers.has(c) || last === undefined || last >= c ? c : last;
    if (step > this.highestWritten) {
      this.observeInto(step);
      return;
    }
    this.lateFloor = this.highestWritten;
    try {
      this.observeInto(this.highestWritten, true);
    } finally {
      this.lateFloor = undefined;
    }
  }

  /** Flushes, then shuts the exporters down. Idempotent; later values are ignored. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      await this.options.analysis?.()?.settled(Number.POSITIVE_INFINITY, this.flushWaitMs);
      this.observeAtEnd();
      this.drain(true);
      await Promise.allSettled(this.options.exporters.map(({ exporter }) => exporter.shutdown()));
    })();
    return this.shutdownPromise;
  }

  private buffer(step: number): StepBuffer {
    let b = this.buffers.get(step);
    if (b) return b;
    b = new StepBuffer();
    this.buffers.set(step, b);
    if (this.buffers.size > this.maxBufferedSteps) this.writeOldest();
    this.scheduleDrain();
    return b;
  }

  /** Whether `observeIntervalMs` has passed since the last reading. */
  private observeDue(): boolean {
    return this.observeIntervalMs <= 0 || this.now() - this.lastObservedAt >= this.observeIntervalMs;
  }

  /** Reads the observables into `step` (once per step, and only while the step is not written, unless `late`). */
  private observeInto(step: number, late = false): void {
    if (this.observers.length === 0 || (step <= this.highestWritten && !late)) return;
    const b = this.buffer(step);
    if (b.observed) return;
    b.observed = true;
    if (this.observeIntervalMs > 0) this.lastObservedAt = this.now();
    for (const o of this.observers) {
      const result = o.instrument
        ? new StepObservableResult(this.take, b, o.instrument)
        : new StepBatchObservableResult(this.take, b, o.batch!);
      try {
        if (o.instrument) (o.callback as ObservableCallback)(result as StepObservableResult);
        else (o.callback as BatchObservableCallback)(result as StepBatchObservableResult);
      } catch (err) {
        diag.error('grpo-otel: an observable callback threw while reading a step', err);
      }
      // Asynchronous callbacks are read by OTel's own collections; the step takes what came synchronously.
      result.open = false;
    }
  }

  private takeObservation(
    b: StepBuffer,
    inst: StepInstrument | undefined,
    value: unknown,
    attributes: Attributes,
  ): void {
    if (!inst || typeof value !== 'number' || !Number.isFinite(value)) return;
    const { state, attributes: carried } = this.series.get(inst, attributes);
    // A late end-of-run reading: a series written at that step already keeps what it has there.
    if (this.lateFloor !== undefined && state.lastWritten >= this.lateFloor) return;
    if (inst.kind === 'observable_counter') {
      // Delta temporality: the increase since the previous reading.
      const last = state.lastObserved;
      state.lastObserved = value;
      b.observe(inst, state, carried, value - last);
    } else {
      b.observe(inst, state, carried, value);
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain(false);
    }).unref();
  }

  /**
   * Writes complete steps in increasing order: a step below the current one once its analyses are
   * answered (or the wait expired), every step when `force`. A step at or below one already written
   * (a late value) goes out at once, keeping only the series not yet written at or past it.
   */
  private drain(force: boolean): void {
    const steps = [...this.buffers.keys()].sort((a, b) => a - b);
    for (const step of steps) {
      const b = this.buffers.get(step)!;
      if (step > this.highestWritten && !force) {
        if (this.current === undefined || step >= this.current) break;
        const analysis = this.options.analysis?.();
        if (!b.waited && analysis?.pendingUpTo(step)) {
          if (!b.waiting) {
            b.waiting = true;
            void analysis.settled(step, this.analysisWaitMs).then(() => {
              b.waited = true;
              this.drain(false);
            });
          }
          break;
        }
      }
      this.write(step, b);
    }
  }

  private writeOldest(): void {
    let oldest = Number.POSITIVE_INFINITY;
    for (const s of this.buffers.keys()) if (s < oldest) oldest = s;
    const b = this.buffers.get(oldest);
    if (b) this.write(oldest, b);
  }

  private write(step: number, b: StepBuffer): void {
    this.buffers.delete(step);
    const { scopeMetrics, series, dropped } = b.toScopeMetrics(hrTime(), step);
    if (step > this.highestWritten) this.highestWritten = step;
    for (const state of series) state.lastWritten = step;
    for (const { name } of this.options.exporters) {
      if (dropped > 0) this.options.drops.record('metrics', 'timeout', name, dropped);
    }
    if (series.length === 0) return;
    const metrics: ResourceMetrics = { resource: this.options.resource, scopeMetrics };
    for (const { name, exporter } of this.options.exporters) {
      try {
        exporter.exportStep(step, metrics, (result) => {
          if (result.code === ExportResultCode.SUCCESS) return;
          this.options.drops.record('metrics', 'export_failed', name, series.length);
          if (!this.failureReported) {
            this.failureReported = true;
            diag.error(`grpo-otel: ${name}: metric export failed`, result.error);
          }
        });
      } catch (err) {
        this.options.drops.record('metrics', 'export_failed', name, series.length);
        diag.error(`grpo-otel: ${name}: metric export threw`, err);
      }
    }
  }
}

type TakeObservation = (
  b: StepBuffer,
  inst: StepInstrument | undefined,
  value: unknown,
  attributes: Attributes,
) => void;

/** What a single-instrument callback observes into when a step ends; closed once the callback returns. */
class StepObservableResult implements ObservableResult {
  open = true;
  constructor(
    private readonly take: TakeObservation,
    private readonly b: StepBuffer,
    private readonly inst: StepInstrument,
  ) {}

  observe(value: number, attributes: Attributes = {}): void {
    if (this.open) this.take(this.b, this.inst, value, attributes);
  }
}

/** What a batch callback observes into when a step ends; closed once the callback returns. */
class StepBatchObservableResult implements BatchObservableResult {
  open = true;
  constructor(
    private readonly take: TakeObservation,
    private readonly b: StepBuffer,
    private readonly batch: Map<Observable, StepInstrument>,
  ) {}

  observe(observable: Observable, value: number, attributes: Attributes = {}): void {
    if (this.open) this.take(this.b, this.batch.get(observable), value, attributes);
  }
}
