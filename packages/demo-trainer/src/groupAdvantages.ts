/** Per-group statistics of the rewards behind the advantages. */
export interface GroupAdvantages {
  /** (r - group mean) / (group std + epsilon), one per completion, in input order. */
  advantages: number[];
  /** Standard deviation of each group's rewards (unbiased, n - 1, as TRL's torch `std()`). */
  groupStds: number[];
  /** Fraction of groups whose rewards are all equal (they teach nothing this step). */
  zeroStdRatio: number;
}

/**
 * GRPO's group-normalised advantages: completions come in consecutive groups of `groupSize` (the
 * samples of one prompt); each reward is centred on its group's mean and scaled by its std
 * (unbiased, as TRL computes it), plus `epsilon`.
 */
export function groupAdvantages(
  rewards: readonly number[],
  groupSize: number,
  epsilon = 1e-4,
): GroupAdvantages {
  if (!Number.isInteger(groupSize) || groupSize < 1 || rewards.length % groupSize !== 0) {
    throw new RangeError(
      `groupAdvantages: ${rewards.length} rewards do not split into groups of ${groupSize}`,
    );
  }
  const advantages: number[] = [];
  const groupStds: number[] = [];
  let zero = 0;
  for (let g = 0; g < rewards.length; g += groupSize) {
    const group = rewards.slice(g, g + groupSize);
    const mean = group.reduce((s, r) => s + r, 0) / groupSize;
    const std =
      groupSize > 1 ? Math.sqrt(group.reduce((s, r) => s + (r - mean) ** 2, 0) / (groupSize - 1)) : 0;
    groupStds.push(std);
    if (std < 1e-12) zero++;
    for (const r of group) advantages.push((r - mean) / (std + epsilon));
  }
  return { advantages, groupStds, zeroStdRatio: zero / groupStds.length };
}
