/** The finite values of `values`, in order, in a fresh Float64Array; `skipped` counts NaN and ±Infinity. */
export function finiteValues(values: ArrayLike<number>): { xs: Float64Array; skipped: number } {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const xs = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) xs[j++] = v;
  }
  return { xs, skipped: values.length - n };
}

/**
 * Neumaier-compensated sum of `xs[from..to)`: the error of each addition is carried separately, so
 * the result is as accurate as summing in twice the precision (pairwise summation, numpy's method,
 * is within a few ulps of it).
 */
export function compensatedSum(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  let sum = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const x = xs[i]!;
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + c;
}

/**
 * sum((x - mean)^2) over `xs[from..to)`, corrected for the rounding of `mean` (the corrected two-pass
 * algorithm of Chan, Golub and LeVeque): sum(d^2) - (sum d)^2 / n with d = x - mean, both sums compensated.
 * When `mean` is off the exact mean by delta, sum(d^2) is too large by n * delta^2, which the second term
 * removes; this matters when the spread is near the resolution of the mean (1e9 + 1e-7 noise).
 */
export function sumSquaredDeviations(xs: ArrayLike<number>, mean: number, from = 0, to = xs.length): number {
  let sum = 0;
  let c = 0;
  let lin = 0;
  let lc = 0;
  for (let i = from; i < to; i++) {
    const e = xs[i]! - mean;
    const d = e * e;
    const t = sum + d;
    c += Math.abs(sum) >= Math.abs(d) ? sum - t + d : d - t + sum;
    sum = t;
    const u = lin + e;
    lc += Math.abs(lin) >= Math.abs(e) ? lin - u + e : e - u + lin;
    lin = u;
  }
  const n = to - from;
  const s1 = lin + lc;
  return n > 0 ? Math.max(0, sum + c - (s1 * s1) / n) : 0;
}

/** The median of sorted values `xs[from..to)` (the mean of the two middle values for an even count). */
export function sortedMedian(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  const n = to - from;
  if (n <= 0) return Number.NaN;
  const mid = from + (n >> 1);
  if (n % 2 === 1) return xs[mid]!;
  const m = (xs[mid - 1]! + xs[mid]!) / 2;
  // Two values near ±Number.MAX_VALUE overflow when added: halve first then.
  return Number.isFinite(m) ? m : xs[mid - 1]! / 2 + xs[mid]! / 2;
}

/** Magnitude past which squares of deviations could overflow: statistics are computed on scaled values. */
const LARGE = 2 ** 500;
const SCALE_DOWN = 2 ** -600;
const SCALE_UP = 2 ** 600;

/**
 * Mean and standard deviation (sqrt(sum((x - mean)^2) / (n - ddof)), NaN when n <= ddof) of the
 * finite values `xs[from..to)`, with {@link compensatedSum} and {@link sumSquaredDeviations}. When a
 * value exceeds 2^500 in magnitude, both are computed on the values times 2^-600 (exact: a power of
 * two) and scaled back, so sums and squares of values up to Number.MAX_VALUE cannot overflow; only a
 * result that is itself past Number.MAX_VALUE comes out infinite.
 */
export function meanStd(
  xs: ArrayLike<number>,
  ddof: number,
  from = 0,
  to = xs.length,
): { mean: number; std: number } {
  const n = to - from;
  if (n <= 0) return { mean: Number.NaN, std: Number.NaN };
  let max = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(xs[i]!);
    if (a > max) max = a;
  }
  if (max <= LARGE) {
    const mean = compensatedSum(xs, from, to) / n;
    const std = n > ddof ? Math.sqrt(sumSquaredDeviations(xs, mean, from, to) / (n - ddof)) : Number.NaN;
    return { mean, std };
  }
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) ys[i] = xs[from + i]! * SCALE_DOWN;
  const mean = compensatedSum(ys) / n;
  const std = n > ddof ? Math.sqrt(sumSquaredDeviations(ys, mean) / (n - ddof)) : Number.NaN;
  return { mean: mean * SCALE_UP, std: std * SCALE_UP };
}
