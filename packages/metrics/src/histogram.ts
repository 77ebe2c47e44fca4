/** Counts per bucket of an explicit-boundary histogram, with the sample's sum, min and max. */
export interface Histogram {
  /** The (strictly increasing) upper-inclusive bucket boundaries b_0 < ... < b_{k-1}. */
  boundaries: readonly number[];
  /**
   * counts[0] = #{x <= b_0}; counts[i] = #{b_{i-1} < x <= b_i}; counts[k] = #{x > b_{k-1}}
   * (k + 1 buckets: OpenTelemetry's explicit-bucket layout, and TensorBoard's upper-edge `bucket_limit`).
   */
  counts: Float64Array;
  /** Number of finite values counted. */
  count: number;
  sum: number;
  /** NaN when empty. */
  min: number;
  max: number;
  /** Non-finite values left out. */
  skipped: number;
}

/**
 * Buckets the finite values of `values` by explicit boundaries (upper-inclusive, like OpenTelemetry's
 * explicit bucket histogram aggregation): value x falls in the first bucket i with x <= b_i, or in the
 * overflow bucket k. Binary search per value. Non-finite values are skipped and counted.
 * Throws a RangeError when `boundaries` are not finite and strictly increasing (a configuration error).
 */
export function histogram(values: ArrayLike<number>, boundaries: readonly number[]): Histogram {
  for (let i = 0; i < boundaries.length; i++) {
    const b = boundaries[i]!;
    if (!Number.isFinite(b) || (i > 0 && !(b > boundaries[i - 1]!))) {
      throw new RangeError(
        `histogram: boundaries must be finite and strictly increasing; boundaries[${i}] = ${b}`,
      );
    }
  }
  const k = boundaries.length;
  const counts = new Float64Array(k + 1);
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < values.length; j++) {
    const x = values[j]!;
    if (!Number.isFinite(x)) continue;
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x <= boundaries[mid]!) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]!++;
    count++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (count === 0) min = max = Number.NaN;
  return { boundaries, counts, count, sum, min, max, skipped: values.length - count };
}
