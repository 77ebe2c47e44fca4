import { RunningStats } from '@grpo-otel/metrics';
import { metricDefinition } from '@grpo-otel/semconv';
import { diag } from '@opentelemetry/api';
import type { MetricsConfig } from '../config/ResolvedConfig.js';
import type { DropCounter } from '../internal/DropCounter.js';
import type { ChannelLogger } from '../logging/ChannelLogger.js';
import type { Instruments } from '../step-metrics/Instruments.js';
import type { BucketCounts } from '../step-metrics/StepBuffer.js';
import { stepInstrument } from '../step-metrics/StepMeter.js';
import type { StepMetricSink } from '../step-metrics/StepMetricSink.js';
import type { AnalysisResult, HistogramValue, SignalNotice } from './AnalysisResult.js';
import { AnalysisWorker } from './AnalysisWorker.js';
import { type AnalysisTarget, applyAnalysisResult } from './applyAnalysisResult.js';
import { ANALYSIS_SCOPE, type PrecomputedHistograms } from './PrecomputedHistograms.js';
import type { AnalysisJobInput } from './protocol.js';

/** Longest wait at shutdown for the analysis worker's backlog, while it keeps answering. */
const DRAIN_MS = 30_000;
/** A worker that has not answered for this long at shutdown is given up on. */
const STALL_MS = 5_000;
/** Steps of reward means kept between two analysed steps (see noteRewardMeans). */
const MAX_PENDING_MEANS = 100_000;

/** One step's mean rewards, per function and `total`. */
export interface StepRewardMeans {
  step: number;
  means: Record<string, number>;
}

export interface AnalysisBridgeOptions {
  metrics: MetricsConfig;
  drops: DropCounter;
  instruments: Instruments;
  /** Values keyed by step for TensorBoard (absent when no step exporter is configured). */
  stepSink: StepMetricSink | undefined;
  /** Where the worker's histograms go for OTLP (the OTLP reader's producer). */
  histograms: PrecomputedHistograms;
  /** Runs `fn` with what it records attributed to `step` in the step sink. */
  atStep<T>(step: number, fn: () => T): T;
  /** The SDK instance's own channel loggers (valid until its providers stop). */
  logger(name: string): ChannelLogger;
  /** Where an analysed training accuracy goes (for the generalization gap). */
  noteTrainingAccuracy(value: number): void;
}

/**
 * The analysis glue between the training thread and the analysis worker: starts the worker on first
 * use, carries every step's reward means to it (the step windows count steps, not analysed steps),
 * turns its answers into metrics, histograms, summary records and signals, and drains it at shutdown.
 */
export class AnalysisBridge {
  /** Histograms computed by the worker, fed to the OTLP reader. */
  readonly histograms: PrecomputedHistograms;
  /** Milliseconds the worker spent per job, by kind (for health checks and benchmarks). */
  readonly workerMs = { rewards: new RunningStats(), generations: new RunningStats() };
  private worker: AnalysisWorker | undefined;
  private closed = false;
  private pendingMeans: StepRewardMeans[] = [];
  private readonly callbacks: ((e: SignalNotice) => void)[] = [];
  private readonly startedAtMs = Date.now();
  private readonly cpuAtStart = process.cpuUsage();
  private readonly target: AnalysisTarget;

  constructor(private readonly options: AnalysisBridgeOptions) {
    this.histograms = options.histograms;
    this.target = {
      instruments: options.instruments,
      drops: options.drops,
      analysisWorkerMs: this.workerMs,
      atStep: options.atStep,
      addHistogram: (h, step) => this.addHistogram(h, step),
      noteTrainingAccuracy: options.noteTrainingAccuracy,
      logger: options.logger,
      notifySignal: (e) => this.notifySignal(e),
    };
  }

  /** Queues a job for the worker (started on first use); false when it is refused (full, or closed). */
  submit(job: AnalysisJobInput, transfer?: ArrayBuffer[]): boolean {
    return this.start()?.submit(job, transfer) === true;
  }

  /** The worker, started on first use (undefined once closed). */
  start(): AnalysisWorker | undefined {
    if (this.closed) return undefined;
    if (!this.worker) {
      const { drops } = this.options;
      const m = this.options.metrics;
      this.worker = new AnalysisWorker({
        settings: {
          historyWindow: m.historyWindow,
          startedAtMs: this.startedAtMs,
          cpuAtStartUs: this.cpuAtStart.user + this.cpuAtStart.system,
          plateau: {
            window: m.plateau.window,
            minDelta: m.plateau.minDelta,
            patience: m.plateau.patience,
            objective: m.plateau.objective,
          },
          collapse: {
            window: m.collapse.window,
            ...(m.collapse.entropyThreshold !== undefined
              ? { entropyThreshold: m.collapse.entropyThreshold }
              : {}),
            ...(m.collapse.diversityThreshold !== undefined
              ? { diversityThreshold: m.collapse.diversityThreshold }
              : {}),
            ...(m.collapse.maxDrop !== undefined ? { maxDrop: m.collapse.maxDrop } : {}),
          },
        },
        maxPending: m.maxPendingAnalyses,
        onResult: (r) => this.apply(r),
        onError: (message) => {
          drops.record('metrics', 'export_failed', 'analysis');
          diag.error(`grpo-otel: analysis failed: ${message}`);
        },
      });
    }
    return this.worker;
  }

  /** Records a worker's answer: gauges and histograms at its step, the summary record, the signals. */
  apply(result: AnalysisResult): void {
    applyAnalysisResult(this.target, result);
  }

  /** The worker if it was started (it is not started by asking). */
  get running(): AnalysisWorker | undefined {
    return this.worker;
  }

  /**
   * A step's reward means (per function, and `total`), taken on every `logRewardMetrics` call: the
   * moving averages and detectors count steps, so they need every step's value, not only the analysed
   * steps'. Kept until the next analysed step's job carries them to the worker (or flush/shutdown).
   */
  noteRewardMeans(step: number, means: Record<string, number>): void {
    const p = this.pendingMeans;
    if (p.length > 0 && p[p.length - 1]!.step === step) p[p.length - 1] = { step, means };
    else p.push({ step, means });
    // Bounded: far more steps than any window between two analysed steps; the oldest go first.
    if (p.length > MAX_PENDING_MEANS) {
      const n = p.length - MAX_PENDING_MEANS;
      p.splice(0, n);
      this.options.drops.record('metrics', 'queue_full', 'reward_windows', n);
    }
  }

  /** The reward means noted since the last analysed step (and forgets them). */
  takeRewardMeans(): StepRewardMeans[] {
    const p = this.pendingMeans;
    this.pendingMeans = [];
    return p;
  }

  /** Sends the reward means still waiting to the worker, so windows and detectors see every step. */
  private submitPendingRewardMeans(): void {
    if (this.pendingMeans.length === 0) return;
    const history = this.takeRewardMeans();
    const last = history[history.length - 1]!.step;
    if (!this.submit({ kind: 'rewards', step: last, rewards: {}, history }))
      this.options.drops.record('metrics', 'queue_full', 'reward_windows', history.length);
  }

  /** Adds histogram bucket counts computed off the training thread, for OTLP and for the step's exporters. */
  addHistogram(h: HistogramValue, step: number): void {
    this.histograms.add(h);
    const sink = this.options.stepSink;
    if (!sink) return;
    const def = metricDefinition(h.metric);
    const inst = stepInstrument(ANALYSIS_SCOPE, 'histogram', h.metric, {
      description: def?.description ?? '',
      unit: def?.unit ?? '',
    });
    const counts: BucketCounts = h;
    this.options.atStep(step, () => sink.addBuckets(inst, counts, h.attributes ?? {}));
  }

  /** Registers a callback for plateau and collapse signals (fired once per episode). */
  onSignal(callback: (e: SignalNotice) => void): () => void {
    this.callbacks.push(callback);
    return () => {
      const i = this.callbacks.indexOf(callback);
      if (i >= 0) this.callbacks.splice(i, 1);
    };
  }

  private notifySignal(e: SignalNotice): void {
    for (const cb of [...this.callbacks]) {
      try {
        cb(e);
      } catch (err) {
        diag.error('grpo-otel: a signal callback threw', err);
      }
    }
  }

  /** Every job submitted so far is answered (or given up on: see DRAIN_MS and STALL_MS). */
  async drain(): Promise<void> {
    this.submitPendingRewardMeans();
    await this.worker?.drain(DRAIN_MS, STALL_MS);
  }

  /**
   * For shutdown: the backlog is waited for as long as the worker keeps answering (up to DRAIN_MS), a
   * worker silent for STALL_MS is not. Jobs left unanswered are counted as dropped (timeout) and said
   * on the `system` channel, never lost silently. Then the worker stops and no job is taken.
   */
  async close(): Promise<void> {
    this.submitPendingRewardMeans();
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    await worker.drain(DRAIN_MS, STALL_MS);
    const abandoned = worker.pendingJobs;
    if (abandoned > 0) {
      this.options.drops.record('metrics', 'timeout', 'analysis', abandoned);
      const message = `${abandoned} analysis job(s) unanswered at shutdown (no answer for ${STALL_MS / 1000} s, or ${DRAIN_MS / 1000} s in all); their metrics are dropped (counted in grpo.sdk.record.dropped, reason timeout)`;
      diag.warn(`grpo-otel: ${message}`);
      // In the files too: the logger provider still runs until the end of shutdown.
      this.options.logger('system').warning(message);
    }
    await worker.close(0);
  }

  /**
   * For the process's 'exit' event: the worker's answers would need the event loop, which runs no
   * more. Returns how many jobs are lost (counted as dropped, `process_exit`).
   */
  abandonAtExit(): number {
    const n = this.worker?.pendingJobs ?? 0;
    if (n > 0) this.options.drops.record('metrics', 'process_exit', 'analysis', n);
    return n;
  }
}
