import { finitePairs, pearsonOf } from './internal/pairs.js';
import { rank } from './rank.js';

/**
 * Spearman's rank correlation: Pearson's r of the average ranks ({@link rank}; ties share the mean of
 * their ranks, as scipy.stats.spearmanr) of the pairs (x[i], y[i]) where both are finite. NaN when
 * fewer than 2 pairs remain or either side is constant (all tied).
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const { xs, ys } = finitePairs(x, y);
  return pearsonOf(rank(xs), rank(ys));
}
