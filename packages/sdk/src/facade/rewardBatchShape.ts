import { REWARD_FUNCTION_TOTAL } from '@grpo-otel/semconv';

/** Whether `values` can be a reward function's batch under `name` (else it is skipped, with a warning). */
export function usableRewardFunction(name: string, values: unknown): boolean {
  return (
    name !== '' &&
    name !== REWARD_FUNCTION_TOTAL &&
    values !== null &&
    typeof values === 'object' &&
    typeof (values as { length?: unknown }).length === 'number'
  );
}

/** Whether `groupSize` (when given) is a positive integer that divides a batch of `n` completions. */
export function groupSizeDivides(groupSize: unknown, n: number): boolean {
  return (
    groupSize === undefined ||
    (Number.isInteger(groupSize) && (groupSize as number) > 0 && n % (groupSize as number) === 0)
  );
}

/**
 * Whether `logRewardMetrics` takes this batch as a whole: a mapping with at least one usable reward
 * function, all of one length, and a `groupSize` that divides it. The training thread asks it for a
 * call it hands to the telemetry thread, so that the call returns what it would return there.
 */
export function rewardBatchAccepted(rewardsDict: unknown, options: unknown): boolean {
  if (rewardsDict === null || typeof rewardsDict !== 'object') return false;
  let n = -1;
  for (const name of Object.keys(rewardsDict)) {
    const values = (rewardsDict as Record<string, unknown>)[name];
    if (!usableRewardFunction(name, values)) continue;
    const len = (values as ArrayLike<unknown>).length;
    if (n >= 0 && len !== n) return false;
    n = len;
  }
  if (n < 0) return false;
  const groupSize =
    options !== null && typeof options === 'object'
      ? (options as { groupSize?: unknown }).groupSize
      : undefined;
  return groupSizeDivides(groupSize, n);
}
