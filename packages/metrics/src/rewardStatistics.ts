import { type SummarizeOptions, type Summary, summarize } from './summarize.js';
import { weightedTotal } from './weightedTotal.js';

export interface RewardStatisticsOptions extends SummarizeOptions {
  /** Weight per reward function for the total (default 1 each). */
  weights?: Readonly<Record<string, number>>;
}

export interface RewardStatistics {
  /** {@link summarize} of each reward function's values (non-finite values skipped and counted). */
  functions: Record<string, Summary & { skipped: number }>;
  /** {@link summarize} of the {@link weightedTotal} per completion. */
  total: Summary & { skipped: number };
}

/**
 * Mean, median, min, max and std (population by default; `ddof: 1` for TRL's `rewards/<func>/std`)
 * of each reward function and of the weighted total reward, for one step's batch.
 */
export function rewardStatistics(
  rewardsByFunction: Readonly<Record<string, ArrayLike<number>>>,
  options?: RewardStatisticsOptions,
): RewardStatistics {
  const functions: Record<string, Summary & { skipped: number }> = {};
  for (const name of Object.keys(rewardsByFunction)) {
    functions[name] = summarize(rewardsByFunction[name]!, options);
  }
  return { functions, total: summarize(weightedTotal(rewardsByFunction, options?.weights), options) };
}
