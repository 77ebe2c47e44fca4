import type { Stability } from './Stability.js';

/** OpenTelemetry instrument kinds (synchronous and asynchronous). */
export type InstrumentKind =
  | 'counter'
  | 'updowncounter'
  | 'histogram'
  | 'gauge'
  | 'observable_counter'
  | 'observable_gauge'
  | 'observable_updowncounter';

export type MetricValueType = 'double' | 'int';

/** Dashboard and documentation grouping; every metric belongs to exactly one category. */
export type MetricCategory =
  | 'rewards'
  | 'policy'
  | 'completions'
  | 'task'
  | 'validation'
  | 'progress'
  | 'resources'
  | 'health'
  | 'signals';

export interface MetricAdvice {
  /** Explicit histogram bucket upper bounds (strictly increasing), passed as instrument advice. */
  readonly explicitBucketBoundaries?: readonly number[];
}

export interface MetricDefinition {
  /** Lowercase dotted name, e.g. `grpo.reward.mean`. Units never appear in the name. */
  readonly name: string;
  readonly instrument: InstrumentKind;
  /** UCUM unit: `s`, `By`, `1` (fractions only), `{token}`-style annotations, `x/y` rates. */
  readonly unit: string;
  readonly description: string;
  readonly valueType: MetricValueType;
  /** Attribute keys that may appear on the metric's data points. */
  readonly attributes: readonly string[];
  readonly advice?: MetricAdvice;
  readonly stability: Stability;
  readonly category: MetricCategory;
  /** True when the name, unit and instrument are defined by OpenTelemetry semantic conventions. */
  readonly reused: boolean;
  /** Longer explanation: how it is computed, caveats, how it relates to other metrics. */
  readonly note?: string;
}

/** Categories in documentation and dashboard order, with a one-line summary each. */
export const METRIC_CATEGORIES: readonly { readonly category: MetricCategory; readonly title: string }[] = [
  { category: 'rewards', title: 'Rewards and advantages (is the model learning?)' },
  { category: 'policy', title: 'Policy optimisation: entropy, KL, clipping, loss, optimiser' },
  { category: 'completions', title: 'Completions: length, format, diversity (is it collapsing?)' },
  { category: 'task', title: 'Task performance on training batches' },
  { category: 'validation', title: 'Validation on held-out data' },
  { category: 'progress', title: 'Training progress, timing and throughput' },
  { category: 'resources', title: 'Memory and efficiency' },
  { category: 'health', title: "The telemetry SDK's own health" },
  { category: 'signals', title: 'Plateau and collapse signals' },
];
