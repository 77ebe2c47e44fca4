/** Summary statistics of a sample. */
export interface Summary {
  count: number;
  /** Arithmetic mean (NaN when empty). */
  mean: number;
  /** Population standard deviation, sqrt(sum((x - mean)^2) / n) (numpy's default, ddof = 0). */
  std: number;
  min: number;
  max: number;
  /** Middle value; the mean of the two middle values for an even count. */
  median: number;
}

/**
 * Summary of the finite values in `values` (NaN and ±Infinity are skipped; `skipped` says how many).
 * The mean uses Neumaier-compensated summation and the variance the two-pass formula, so large
 * offsets do not lose precision. Empty input gives count 0 and NaN statistics.
 */
export function summarize(values: ArrayLike<number>): Summary & { skipped: number } {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) xs.push(v);
  }
  const n = xs.length;
  const skipped = values.length - n;
  if (n === 0) return { count: 0, mean: NaN, std: NaN, min: NaN, max: NaN, median: NaN, skipped };
  let sum = 0;
  let c = 0;
  let min = xs[0]!;
  let max = xs[0]!;
  for (const x of xs) {
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = (sum + c) / n;
  let ss = 0;
  let sc = 0;
  for (const x of xs) {
    const d = (x - mean) * (x - mean);
    const t = ss + d;
    sc += Math.abs(ss) >= Math.abs(d) ? ss - t + d : d - t + ss;
    ss = t;
  }
  const std = Math.sqrt((ss + sc) / n);
  xs.sort((a, b) => a - b);
  const mid = n >> 1;
  const median = n % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return { count: n, mean, std, min, max, median, skipped };
}
