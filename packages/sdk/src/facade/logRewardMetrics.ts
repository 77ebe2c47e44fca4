import { weightedTotal } from '@grpo-otel/metrics';
import { METRICS, REWARD_FUNCTION_TOTAL } from '@grpo-otel/semconv';
import { describeValue } from '../internal/describeValue.js';
import { forwardCall, forwarding } from '../runtime/callForwarding.js';
import { activeTelemetry } from '../runtime/channelRegistry.js';
import type { GrpoTelemetry } from '../runtime/GrpoTelemetry.js';
import { forwardedAnalysis } from './forwardedAnalysis.js';
import { loggingStepOf } from './isLoggingStep.js';
import { resolveStep } from './resolveStep.js';
import { groupSizeDivides, rewardBatchAccepted, usableRewardFunction } from './rewardBatchShape.js';

/** The finite weights of `weights`; any other entry is counted as dropped and reported (its function weighs 1). */
function validWeights(t: GrpoTelemetry, weights: unknown): Record<string, number> | undefined {
  if (weights === undefined || weights === null) return undefined;
  if (typeof weights !== 'object') {
    t.drops.record('metrics', 'invalid_value', 'logRewardMetrics');
    return undefined;
  }
  const out: Record<string, number> = {};
  for (const [name, w] of Object.entries(weights)) {
    if (typeof w === 'number' && Number.isFinite(w)) out[name] = w;
    else {
      t.drops.record('metrics', 'invalid_value', 'logRewardMetrics');
      t.logger('metrics').warning(
        `logRewardMetrics: the weight of ${describeValue(name)} must be a finite number, got ${describeValue(w)}; using 1`,
      );
    }
  }
  return out;
}

/** Largest moving-average window taken (the config's `metrics.history_window` has the same bound). */
const MAX_HISTORY_WINDOW = 1_000_000;

function validWindow(t: GrpoTelemetry, w: unknown): boolean {
  if (typeof w === 'number' && Number.isInteger(w) && w > 0 && w <= MAX_HISTORY_WINDOW) return true;
  t.drops.record('metrics', 'invalid_value', 'logRewardMetrics');
  t.logger('metrics').warning(
    `logRewardMetrics: historyWindow must be an integer from 1 to ${MAX_HISTORY_WINDOW}, got ${describeValue(w)}; using metrics.history_window`,
  );
  return false;
}

export interface RewardMetricsOptions {
  /** Steps in the moving average (default: `metrics.history_window`, 100). */
  historyWindow?: number;
  /** Completions per prompt: enables GRPO group statistics (per-group std, zero-std fraction, advantages). */
  groupSize?: number;
  /** Weights of the reward functions in the total (default 1 each). */
  weights?: Record<string, number>;
  /** The run's last step: analysed even when it is not a multiple of `logging_frequency`. */
  final?: boolean;
}

/** The mean of the finite values (NaN when there are none). */
function finiteMean(values: ArrayLike<number>): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}

/**
 * The seed's `log_reward_metrics(step, rewards_dict, history_window=100)`: per reward function and for
 * the weighted total, the batch's mean/std/min/max/median, the distribution, the moving average over
 * the last `historyWindow` training steps, the correlation of every pair of functions, GRPO group
 * statistics when `groupSize` is given, and plateau detection (`onPlateau` fires once per plateau of
 * the total reward).
 *
 * Call it every step. Every call gives the step's mean rewards to the moving averages and the plateau
 * detector, so their windows count training steps whatever `logging_frequency` is. The full analysis
 * runs on logging steps only (`isLoggingStep(step)`: multiples of `metrics.logging_frequency`, or the
 * run's last step with `{ final: true }`): the training thread copies the values into typed arrays and
 * hands them to the analysis worker (microseconds). Returns whether the batch was analysed: false on
 * other steps (a refused call: its means still count), when `metrics.enable.reward_metrics` is off, or
 * for bad input. Bad input (arrays of different lengths, a `groupSize` that does not divide the batch,
 * a step that is not a non-negative integer) gets one warning naming it and is counted as dropped,
 * never thrown. Without a step (`logRewardMetrics(rewards, options)`), the current step.
 */
export function logRewardMetrics(
  step: number,
  rewardsDict: Readonly<Record<string, ArrayLike<number>>>,
  historyWindowOrOptions?: number | RewardMetricsOptions,
): boolean;
export function logRewardMetrics(
  rewardsDict: Readonly<Record<string, ArrayLike<number>>>,
  options?: RewardMetricsOptions,
): boolean;
export function logRewardMetrics(
  stepOrRewards: number | Readonly<Record<string, ArrayLike<number>>>,
  rewardsOrOptions?: Readonly<Record<string, ArrayLike<number>>> | RewardMetricsOptions,
  historyWindowOrOptions?: number | RewardMetricsOptions,
): boolean {
  if (forwarding()) {
    forwardCall('logRewardMetrics', [stepOrRewards, rewardsOrOptions, historyWindowOrOptions]);
    return (
      forwardedAnalysis('rewardMetrics', stepOrRewards, historyWindowOrOptions) &&
      rewardBatchAccepted(rewardsOrOptions, historyWindowOrOptions)
    );
  }
  const t = activeTelemetry();
  if (!t) return false;
  const implicit = stepOrRewards !== null && typeof stepOrRewards === 'object';
  const step = resolveStep(t, 'logRewardMetrics', implicit ? undefined : stepOrRewards);
  if (step === undefined) return false;
  const rewardsDict = (implicit ? stepOrRewards : rewardsOrOptions) as
    | Readonly<Record<string, ArrayLike<number>>>
    | undefined;
  const third = implicit ? (rewardsOrOptions as RewardMetricsOptions | undefined) : historyWindowOrOptions;
  const m = t.config.metrics;
  if (!m.enable.rewardMetrics) return false;
  const options: RewardMetricsOptions = typeof third === 'number' ? { historyWindow: third } : (third ?? {});
  const warn = (message: string) => {
    t.drops.record('metrics', 'invalid_value', 'logRewardMetrics', 1, false);
    t.logger('metrics').warning(`logRewardMetrics(step ${step}): ${message}; the batch is dropped`);
    return false;
  };
  if (rewardsDict === null || typeof rewardsDict !== 'object') {
    return warn('rewardsDict must map reward function names to arrays of numbers');
  }
  const rewards: Record<string, Float64Array> = {};
  const transfer: ArrayBuffer[] = [];
  for (const name of Object.keys(rewardsDict)) {
    const values = rewardsDict[name];
    if (!usableRewardFunction(name, values)) {
      t.drops.record('metrics', 'invalid_value', METRICS.rewardMean.name);
      t.logger('metrics').warning(
        `logRewardMetrics: reward function ${JSON.stringify(name)} skipped (${name === REWARD_FUNCTION_TOTAL ? `'${REWARD_FUNCTION_TOTAL}' is reserved for the weighted sum` : 'expected an array of numbers'})`,
      );
      continue;
    }
    const src = values as ArrayLike<unknown>;
    const copy = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      copy[i] = typeof v === 'number' ? v : Number.NaN;
    }
    rewards[name] = copy;
    transfer.push(copy.buffer as ArrayBuffer);
  }
  const names = Object.keys(rewards);
  if (names.length === 0) return false;
  const n = rewards[names[0]!]!.length;
  if (names.some((f) => rewards[f]!.length !== n)) {
    return warn(
      `the reward arrays must have one value per completion, got different lengths (${names.map((f) => `${f}: ${rewards[f]!.length}`).join(', ')})`,
    );
  }
  const { groupSize } = options;
  if (!groupSizeDivides(groupSize, n)) {
    return warn(
      `groupSize must be a positive integer that divides the ${n} completions, got ${describeValue(groupSize)}`,
    );
  }
  const weights = validWeights(t, options.weights);
  // The step's means (per function, and the weighted total), for the step windows and the detector.
  const means: Record<string, number> = {};
  for (const f of names) means[f] = finiteMean(rewards[f]!);
  if (names.length > 1) means[REWARD_FUNCTION_TOTAL] = finiteMean(weightedTotal(rewards, weights));
  t.analyses.noteRewardMeans(step, means);
  if (!loggingStepOf(m, step, options.final === true ? { final: true } : {})) return false;
  const history = t.analyses.takeRewardMeans().filter((h) => h.step !== step);
  const historyWindow = options.historyWindow;
  const ok = t.analyses.submit(
    {
      kind: 'rewards',
      step,
      rewards,
      ...(historyWindow !== undefined && validWindow(t, historyWindow) ? { historyWindow } : {}),
      ...(groupSize !== undefined && groupSize > 1 ? { groupSize } : {}),
      ...(weights ? { weights } : {}),
      ...(history.length > 0 ? { history } : {}),
      tokens: t.training.tokensUsed,
    },
    transfer,
  );
  if (!ok) t.drops.record('metrics', 'queue_full', 'analysis');
  return ok === true;
}
