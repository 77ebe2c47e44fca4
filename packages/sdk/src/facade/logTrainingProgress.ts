import {
  ATTR_GRPO_SPLIT,
  ATTR_GRPO_STEP,
  lookupKnownName,
  METRICS,
  type MetricDefinition,
  metricDefinition,
} from '@grpo-otel/semconv';
import { LEVEL_NUMBERS } from '../config/levels.js';
import { describeValue } from '../internal/describeValue.js';
import type { LogAttributes } from '../logging/ChannelLogger.js';
import { forwardCall, forwarding } from '../runtime/callForwarding.js';
import { activeTelemetry } from '../runtime/channelRegistry.js';
import type { GrpoTelemetry } from '../runtime/GrpoTelemetry.js';
import { customMetric } from './customMetric.js';
import { resolveStep } from './resolveStep.js';

/** Short names people write in training loops, beyond the TRL/verl/OpenRLHF names semconv maps. */
const ALIASES: Readonly<Record<string, MetricDefinition>> = {
  lr: METRICS.policyLearningRate,
  accuracy: METRICS.taskAccuracy,
  correctness: METRICS.taskAccuracy,
  epoch: METRICS.trainingEpoch,
};

export interface ResolvedMetric {
  def: MetricDefinition;
  attributes: Record<string, string | number | boolean>;
  scale: number;
  cumulative: boolean;
}

/**
 * Which instrument a `metrics` key of `logTrainingProgress` is recorded on: a semconv name
 * (`grpo.policy.loss`), a TRL/verl/OpenRLHF name (`loss`, `rewards/correctness/mean`,
 * `actor/entropy`), a short alias (`lr`, `accuracy`), or else a gauge `grpo.custom.<key>`.
 */
export function resolveMetricKey(key: string): ResolvedMetric {
  return asTrainingValue(resolveKey(key));
}

/**
 * A value logged during training without a `train/`/`eval_` prefix is a training value: metrics that
 * have a split get `grpo.split=train`, so a trainer's `rewards/<f>/mean`, `kl` or `entropy` land on
 * the same series as the SDK's own analysis of the training batch (one TensorBoard tag and one
 * Prometheus series per quantity, not two that differ only by the missing split).
 */
function asTrainingValue(m: ResolvedMetric): ResolvedMetric {
  if (!m.def.attributes.includes(ATTR_GRPO_SPLIT) || m.attributes[ATTR_GRPO_SPLIT] !== undefined) return m;
  return { ...m, attributes: { ...m.attributes, [ATTR_GRPO_SPLIT]: 'train' } };
}

function resolveKey(key: string): ResolvedMetric {
  const own = metricDefinition(key);
  if (own) return { def: own, attributes: {}, scale: 1, cumulative: false };
  const known = lookupKnownName(key);
  if (known) {
    return {
      def: known.metric,
      attributes: { ...known.attributes },
      scale: known.scale,
      cumulative: known.cumulative,
    };
  }
  // Own keys only: `constructor`, `__proto__` and `toString` are training metric names like any other.
  const lower = key.toLowerCase();
  const alias = Object.hasOwn(ALIASES, lower) ? ALIASES[lower] : undefined;
  if (alias) return { def: alias, attributes: {}, scale: 1, cumulative: false };
  return { def: customMetric(key), attributes: {}, scale: 1, cumulative: false };
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : v.toPrecision(5).replace(/\.?0+$/, '');
}

/**
 * The seed's `log_training_progress(step, metrics)`: one record on the `training` channel
 * (`step 50: loss=0.1234, learning_rate=1e-05`) and each metric on its semconv instrument at `step`,
 * with the step as the current-step gauge (never as a metric attribute). It is the step's report:
 * without `beginStep`, values logged after it belong to the next step (TRL's order). Without a step
 * (`logTrainingProgress({ loss })`) it reports the current step. Non-finite values are counted as
 * dropped, not recorded; a value that is not a number is left out with a warning naming it.
 */
export function logTrainingProgress(step: number, metrics?: Readonly<Record<string, number>>): void;
export function logTrainingProgress(metrics: Readonly<Record<string, number>>): void;
export function logTrainingProgress(
  stepOrMetrics: number | Readonly<Record<string, number>>,
  metrics: Readonly<Record<string, number>> = {},
): void {
  if (forwarding()) {
    forwardCall('logTrainingProgress', [stepOrMetrics, metrics]);
    return;
  }
  const t = activeTelemetry();
  if (!t) return;
  if (stepOrMetrics !== null && typeof stepOrMetrics === 'object') {
    recordTrainingProgress(t, undefined, stepOrMetrics);
  } else {
    recordTrainingProgress(t, stepOrMetrics, metrics);
  }
}

/** Resolutions of the keys seen so far (a training loop logs the same keys every step); bounded. */
const resolved = new Map<string, Readonly<ResolvedMetric>>();
const MAX_RESOLVED = 1024;

/** {@link resolveMetricKey}, remembered per key (the result is shared: callers must not change it). */
function resolveMetricKeyCached(key: string): Readonly<ResolvedMetric> {
  let m = resolved.get(key);
  if (m === undefined) {
    m = resolveMetricKey(key);
    Object.freeze(m.attributes);
    if (resolved.size >= MAX_RESOLVED) resolved.clear();
    resolved.set(key, Object.freeze(m));
  }
  return m;
}

export function recordTrainingProgress(
  t: GrpoTelemetry,
  requested: unknown,
  metrics: Readonly<Record<string, number>>,
): void {
  const step = resolveStep(t, 'logTrainingProgress', requested);
  if (step === undefined) return;
  if (metrics === null || typeof metrics !== 'object') {
    t.drops.record('metrics', 'invalid_value', 'logTrainingProgress');
    metrics = {};
  }
  t.reportStep(step);
  const log = t.logger('training');
  // A channel below INFO drops the record anyway: then it is not built.
  const logged = log.isEnabledFor(LEVEL_NUMBERS.INFO);
  const attrs: LogAttributes = { [ATTR_GRPO_STEP]: step };
  const parts: string[] = [];
  // The step's values go to TensorBoard at `step`, whatever step the trainer is in now.
  t.atStep(step, () => {
    for (const [key, raw] of Object.entries(metrics)) {
      if (typeof raw !== 'number') {
        // Said by warnNotANumber, once per key and type.
        t.drops.record('metrics', 'invalid_value', 'logTrainingProgress', 1, false);
        warnNotANumber(t, step, key, raw);
        continue;
      }
      if (logged) {
        parts.push(`${key}=${formatValue(raw)}`);
        attrs[key] = Number.isFinite(raw) ? raw : String(raw);
      }
      const m = resolveMetricKeyCached(key);
      if (m.cumulative) {
        t.training.recordCumulative(m.def, raw * m.scale, m.attributes);
      } else {
        t.instruments.record(m.def, raw * m.scale, m.attributes);
      }
    }
  });
  if (logged) log.info(`step ${step}${parts.length ? `: ${parts.join(', ')}` : ''}`, attrs);
}

/** Keys already warned about (one warning per key and type). */
const warnedKeys = new Set<string>();

function warnNotANumber(t: GrpoTelemetry, step: number, key: string, raw: unknown): void {
  const cause = `${key}\u0000${typeof raw}`;
  if (warnedKeys.has(cause) || warnedKeys.size > 1024) return;
  warnedKeys.add(cause);
  t.logger('training').warning(
    `logTrainingProgress: metrics.${key} must be a number, got ${describeValue(raw)} (${typeof raw}); left out (counted in grpo.sdk.record.dropped)`,
    { [ATTR_GRPO_STEP]: step },
  );
}
