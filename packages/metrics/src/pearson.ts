import { finitePairs, pearsonOf } from './internal/pairs.js';

/**
 * Pearson's correlation coefficient r = sum((x - mx)(y - my)) / sqrt(sum((x - mx)^2) * sum((y - my)^2))
 * over the pairs (x[i], y[i]) where both are finite (others dropped; extra elements of the longer
 * array ignored). NaN when fewer than 2 pairs remain or either side is constant (r is undefined there;
 * scipy.stats.pearsonr also returns NaN). Clamped to [-1, 1] against rounding.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const { xs, ys } = finitePairs(x, y);
  return pearsonOf(xs, ys);
}
