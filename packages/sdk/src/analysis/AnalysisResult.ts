import type { BucketCounts } from '@grpo-otel/metrics';
import type { EncodedGauges, PointAttributes } from './EncodedGauges.js';
import type { GaugeTable } from './GaugeTable.js';

export type { EncodedGauges, GaugeValue, PointAttributes, SeriesDefinition } from './EncodedGauges.js';

/** A histogram computed off the main thread, in OTel's explicit-bucket layout (counts.length = boundaries.length + 1). */
export interface HistogramValue extends BucketCounts {
  metric: string;
  attributes?: PointAttributes;
}

/** A plateau or collapse detector's state after this step. */
export interface SignalEvent {
  kind: 'reward_plateau' | 'entropy_collapse' | 'diversity_collapse';
  /** The reward function (plateaus) or the watched metric (collapses). */
  subject: string;
  active: boolean;
  /** The step the detector was updated at (the result's step when absent). */
  step?: number;
  /**
   * A plateau of the run's objective (`metrics.plateau.objective`: the total reward, or the only
   * function): the one `onPlateau` fires for. Per-function plateaus are signals for `onSignal`.
   */
  objective?: boolean;
  /** True only on the step the detector became active (callbacks fire then, once per episode). */
  fired: boolean;
  value: number;
  detail: string;
}

/** What a plateau/collapse callback receives. */
export interface SignalNotice extends SignalEvent {
  step: number;
}

/** What the analysis worker sends back for one `logRewardMetrics`/`logGenerationMetrics` call. */
export interface AnalysisResult {
  kind: 'rewards' | 'generations';
  step: number;
  gauges: EncodedGauges;
  histograms: HistogramValue[];
  signals: SignalEvent[];
  /** One line for the `metrics` channel. */
  summary: string;
  /** Attributes for that line (the headline numbers). */
  summaryAttributes: PointAttributes;
  /** Training answer accuracy of the batch, when references were given (for the generalization gap). */
  trainingAccuracy?: number;
  /**
   * Per-token values of the trainer's the worker left out (distribution rows with NaN or +Infinity, a
   * probability above 1, a total above 1 or no mass): the training thread counts them as dropped.
   */
  invalidValues?: number;
  /** Milliseconds the worker spent computing. */
  workerMs: number;
  /** Set on the training thread when the result arrives: the worker's numbered gauge series. */
  gaugeTable?: GaugeTable;
}
