/**
 * The weighted total reward of each completion, as TRL sums reward functions:
 * total[i] = nansum_f(w_f * r_f[i]) (TRL's `(rewards_per_func * reward_weights).nansum(dim=1)`).
 *
 * - A function's weight defaults to 1 (TRL's default `reward_weights`); a weight must be finite.
 * - Non-finite rewards (NaN, as TRL uses for "function not applicable", and ±Infinity) are left out of
 *   the sum; a completion whose every reward is non-finite gets 0, as with `nansum`.
 * - Arrays of different lengths: the result has the longest length; missing entries count as NaN.
 */
export function weightedTotal(
  rewardsByFunction: Readonly<Record<string, ArrayLike<number>>>,
  weights?: Readonly<Record<string, number>>,
): Float64Array {
  const names = Object.keys(rewardsByFunction);
  let len = 0;
  for (const name of names) len = Math.max(len, rewardsByFunction[name]!.length);
  const total = new Float64Array(len);
  for (const name of names) {
    // Own keys only: a reward function may be called `constructor` or `toString`.
    const w = weights !== undefined && Object.hasOwn(weights, name) ? (weights[name] ?? 1) : 1;
    if (!Number.isFinite(w))
      throw new RangeError(`weightedTotal: the weight of "${name}" must be finite, got ${w}`);
    const r = rewardsByFunction[name]!;
    for (let i = 0; i < r.length; i++) {
      const v = r[i]!;
      if (Number.isFinite(v)) total[i]! += w * v;
    }
  }
  return total;
}
