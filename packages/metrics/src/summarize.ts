import { finiteValues, meanStd, sortedMedian } from './internal/finite.js';

/** Summary statistics of a sample. */
export interface Summary {
  count: number;
  /** Arithmetic mean (NaN when empty). */
  mean: number;
  /**
   * Standard deviation sqrt(sum((x - mean)^2) / (n - ddof)). By default the population standard
   * deviation (ddof = 0, numpy's default); NaN when n <= ddof.
   */
  std: number;
  min: number;
  max: number;
  /** Middle value; the mean of the two middle values for an even count. */
  median: number;
}

export interface SummarizeOptions {
  /**
   * Delta degrees of freedom of `std`: 0 (default) is the population standard deviation (numpy's
   * `np.std`, Python's `statistics.pstdev`); 1 is the unbiased sample estimate (torch's `Tensor.std`,
   * `statistics.stdev`, TRL's `rewards/<func>/std`).
   */
  ddof?: 0 | 1;
}

/**
 * Summary of the finite values in `values` (NaN and ±Infinity are skipped; `skipped` says how many).
 *
 * mean = sum(x) / n; std = sqrt(sum((x - mean)^2) / (n - ddof)); median = the middle order statistic
 * (the mean of the two middle ones for even n). The mean uses Neumaier-compensated summation and the
 * variance the corrected two-pass formula (compensated, and corrected for the rounding of the mean), so
 * large offsets do not lose precision; values past 2^500 in magnitude are scaled so that nothing
 * overflows (see `meanStd`). Empty input gives count 0 and NaN statistics; a single value has
 * std 0 (ddof 0) or NaN (ddof 1).
 */
export function summarize(
  values: ArrayLike<number>,
  options?: SummarizeOptions,
): Summary & { skipped: number } {
  const ddof = options?.ddof ?? 0;
  const { xs, skipped } = finiteValues(values);
  const n = xs.length;
  if (n === 0) return { count: 0, mean: NaN, std: NaN, min: NaN, max: NaN, median: NaN, skipped };
  const { mean, std } = meanStd(xs, ddof);
  xs.sort();
  return { count: n, mean, std, min: xs[0]!, max: xs[n - 1]!, median: sortedMedian(xs), skipped };
}
