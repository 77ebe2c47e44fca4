import type { GaugeTable } from './GaugeTable.js';

/** Attribute values on the points an analysis produces. */
export type PointAttributes = Record<string, string | number | boolean>;

/** A gauge value to record on the semconv instrument named `metric`. */
export interface GaugeValue {
  metric: string;
  value: number;
  attributes?: PointAttributes;
  /** `attributesKey(attributes)`, computed by the worker so the training thread need not key the set. */
  key?: string;
}

/** A gauge series (metric and attributes) numbered by the worker, described in the first result using it. */
export interface SeriesDefinition {
  metric: string;
  attributes: PointAttributes;
  /** `attributesKey(attributes)`. */
  key: string;
}

/** The gauges of a result (see GaugeEncoder): value i is of the series numbered `series[i]`. */
export interface EncodedGauges {
  /** Series numbered by this result, in number order (after those of the earlier results). */
  newSeries: SeriesDefinition[];
  series: Int32Array;
  values: Float64Array;
  /** Gauges of series past the numbering limit. */
  extra: GaugeValue[];
}

/** A histogram computed off the main thread, in OTel's explicit-bucket layout (counts.length = boundaries.length + 1). */
export interface HistogramValue {
  metric: string;
  attributes?: PointAttributes;
  boundaries: number[];
  counts: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
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
