import { RollingWindow, RunningStats } from '@grpo-otel/metrics';
import type { MetricDefinition } from '@grpo-otel/semconv';
import { diag } from '@opentelemetry/api';
import type { DropCounter } from '../internal/DropCounter.js';
import type { Instruments } from '../step-metrics/Instruments.js';

/** A tensor library's memory reading (e.g. `tf.memory()`). */
export interface TensorMemory {
  numBytes: number;
  numTensors: number;
}

/**
 * What the SDK remembers of the run between calls, for values computed over several calls: the tokens
 * used so far, recent training accuracies (for the generalization gap), memory peaks and RSS samples,
 * the tensor memory reader, and the running totals reported as totals (e.g. TRL's `num_tokens`).
 */
export class TrainingState {
  /** RSS samples taken by collections and `logMemoryUsage` (for the average). */
  readonly rssSamples = new RunningStats();
  private readonly accuracy = new RollingWindow(20);
  private readonly peaks = new Map<string, number>();
  private readonly totals = new Map<string, number>();
  private tokens = 0;
  private tensorMemory: (() => TensorMemory) | undefined;

  constructor(
    private readonly instruments: Instruments,
    private readonly drops: DropCounter,
  ) {}

  /** Tokens reported through `logStepTiming` so far. */
  get tokensUsed(): number {
    return this.tokens;
  }

  /** Adds to the token total used by the computation-to-performance ratios. */
  addTokens(n: number): void {
    if (Number.isFinite(n) && n > 0) this.tokens += n;
  }

  /** Notes a training-batch answer accuracy (for the generalization gap). */
  noteTrainingAccuracy(value: number): void {
    if (Number.isFinite(value)) this.accuracy.push(value);
  }

  /** Mean of the recent training accuracies (NaN when none). */
  get recentTrainingAccuracy(): number {
    return this.accuracy.mean;
  }

  /** Updates and returns the peak memory seen for a pool. */
  notePeakMemory(pool: string, bytes: number): number {
    const peak = Math.max(this.peaks.get(pool) ?? 0, bytes);
    this.peaks.set(pool, peak);
    return peak;
  }

  /** The peak memory of every pool seen so far. */
  memoryPeaks(): IterableIterator<[string, number]> {
    return this.peaks.entries();
  }

  /** Sets the tensor memory reader (`registerTensorMemory`). */
  registerTensorMemory(read: () => TensorMemory): void {
    this.tensorMemory = read;
  }

  /** The registered tensor memory reader's current values (and its peak noted), if any. */
  readTensorMemory(): TensorMemory | undefined {
    if (!this.tensorMemory) return undefined;
    try {
      const m = this.tensorMemory();
      this.notePeakMemory('tensor', m.numBytes);
      return m;
    } catch (err) {
      diag.warn('grpo-otel: the registered tensor memory reader threw', err);
      return undefined;
    }
  }

  /** Records a running total reported as its current value (e.g. TRL's `num_tokens`) as counter increments. */
  recordCumulative(
    def: MetricDefinition,
    total: number,
    attributes: Record<string, string | number | boolean>,
  ): void {
    const key = `${def.name}|${JSON.stringify(attributes)}`;
    const last = this.totals.get(key) ?? 0;
    if (!Number.isFinite(total) || total < last) {
      this.drops.record('metrics', 'invalid_value', def.name);
      return;
    }
    this.totals.set(key, total);
    this.instruments.record(def, total - last, attributes);
  }
}
