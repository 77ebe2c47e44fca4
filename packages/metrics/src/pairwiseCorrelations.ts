import { finitePairs, pearsonOf } from './internal/pairs.js';
import { rank } from './rank.js';

/** Correlation between two reward functions over one batch. */
export interface RewardCorrelation {
  a: string;
  b: string;
  /** {@link pearson}; NaN when undefined (fewer than 2 pairs, or a constant side). */
  pearson: number;
  /** {@link spearman}; NaN when undefined. */
  spearman: number;
  /** Completions where both rewards are finite (the pairs used). */
  n: number;
}

/**
 * Pearson and Spearman correlation for every pair of reward functions (a before b in the object's
 * key order; k functions give k(k-1)/2 entries), over the completions where both are finite. A strongly
 * negative value flags reward functions that pull against each other.
 */
export function pairwiseCorrelations(
  rewardsByFunction: Readonly<Record<string, ArrayLike<number>>>,
): RewardCorrelation[] {
  const names = Object.keys(rewardsByFunction);
  const out: RewardCorrelation[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const { xs, ys } = finitePairs(rewardsByFunction[names[i]!]!, rewardsByFunction[names[j]!]!);
      out.push({
        a: names[i]!,
        b: names[j]!,
        pearson: pearsonOf(xs, ys),
        spearman: pearsonOf(rank(xs), rank(ys)),
        n: xs.length,
      });
    }
  }
  return out;
}
