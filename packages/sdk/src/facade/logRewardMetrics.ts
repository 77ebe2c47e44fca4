import { METRICS, REWARD_FUNCTION_TOTAL } from '@grpo-otel/semconv';
import { describeValue } from '../internal/describeValue.js';
import { activeTelemetry, channelLogger } from '../runtime/channelRegistry.js';
import type { GrpoTelemetry } from '../runtime/GrpoTelemetry.js';

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
      channelLogger('metrics').warning(
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
  channelLogger('metrics').warning(
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
}

/**
 * The seed's `log_reward_metrics(step, rewards_dict, history_window=100)`: per reward function and for
 * the weighted total, the batch's mean/std/min/max/median, the distribution, the moving average over
 * the window, the correlation of every pair of functions, GRPO group statistics when `groupSize` is
 * given, and plateau detection (callbacks registered with `onPlateau` fire once per plateau).
 *
 * The training thread only copies the values into typed arrays and hands them to the analysis worker
 * (microseconds); the statistics are computed there and recorded when they come back. Runs on steps
 * that are multiples of `metrics.logging_frequency` and when `metrics.enable.reward_metrics` is on;
 * returns whether the batch was taken. Bad input is counted as dropped and reported once, never thrown.
 */
export function logRewardMetrics(
  step: number,
  rewardsDict: Readonly<Record<string, ArrayLike<number>>>,
  historyWindowOrOptions?: number | RewardMetricsOptions,
): boolean {
  const t = activeTelemetry();
  if (!t) return false;
  const m = t.config.metrics;
  if (!m.enable.rewardMetrics || !Number.isInteger(step) || step % m.loggingFrequency !== 0) {
    if (!Number.isInteger(step) || step < 0) t.drops.record('metrics', 'invalid_value', 'logRewardMetrics');
    return false;
  }
  const options: RewardMetricsOptions =
    typeof historyWindowOrOptions === 'number'
      ? { historyWindow: historyWindowOrOptions }
      : (historyWindowOrOptions ?? {});
  if (rewardsDict === null || typeof rewardsDict !== 'object') {
    t.drops.record('metrics', 'invalid_value', 'logRewardMetrics');
    channelLogger('metrics').warning(
      'logRewardMetrics: rewardsDict must map reward function names to arrays of numbers',
    );
    return false;
  }
  const rewards: Record<string, Float64Array> = {};
  const transfer: ArrayBuffer[] = [];
  for (const name of Object.keys(rewardsDict)) {
    const values = rewardsDict[name];
    if (
      name === '' ||
      name === REWARD_FUNCTION_TOTAL ||
      values === null ||
      typeof values !== 'object' ||
      typeof values.length !== 'number'
    ) {
      t.drops.record('metrics', 'invalid_value', METRICS.rewardMean.name);
      channelLogger('metrics').warning(
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
  if (Object.keys(rewards).length === 0) return false;
  const weights = validWeights(t, options.weights);
  const historyWindow = options.historyWindow;
  const ok = t.analysis()?.submit(
    {
      kind: 'rewards',
      step,
      rewards,
      ...(historyWindow !== undefined && validWindow(t, historyWindow) ? { historyWindow } : {}),
      ...(options.groupSize !== undefined && Number.isInteger(options.groupSize) && options.groupSize > 0
        ? { groupSize: options.groupSize }
        : {}),
      ...(weights ? { weights } : {}),
      tokens: t.tokensUsed,
    },
    transfer,
  );
  if (!ok) t.drops.record('metrics', 'queue_full', 'analysis');
  return ok === true;
}
