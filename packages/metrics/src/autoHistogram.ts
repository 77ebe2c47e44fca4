import { finiteValues } from './internal/finite.js';

/** Equal-width bins chosen from the data. */
export interface AutoHistogram {
  /** n + 1 increasing edges; bin i is [edges[i], edges[i+1]), the last bin closed on the right. */
  edges: Float64Array;
  /** n counts. */
  counts: Float64Array;
  /** Finite values counted. */
  count: number;
  /** Non-finite values left out. */
  skipped: number;
}

export interface AutoHistogramOptions {
  /** Upper limit on the number of bins (default: none, as numpy). */
  maxBins?: number;
}

/** numpy's percentile with linear interpolation of sorted `xs` (q in [0, 1]). */
function percentile(xs: Float64Array, q: number): number {
  const vi = q * (xs.length - 1);
  const lo = Math.floor(vi);
  const hi = Math.min(lo + 1, xs.length - 1);
  const t = vi - lo;
  const a = xs[lo]!;
  const b = xs[hi]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** numpy.linspace(first, last, bins + 1): edge i = i * step + first, the last edge exactly `last`. */
function linspace(first: number, last: number, bins: number): Float64Array {
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

/**
 * Histogram with automatically chosen equal-width bins, as `numpy.histogram(x, bins='auto')` (numpy 2.x):
 *
 * - width = min(max(fd, sqrt / 2), sturges), where fd = 2 * IQR * n^(-1/3) (Freedman-Diaconis),
 *   sturges = range / (log2(n) + 1), sqrt = range / sqrt(n), range = max - min, IQR from linearly
 *   interpolated percentiles; bins = ceil(range / width) (1 when width is 0), capped by `maxBins`;
 * - edges = linspace(min, max, bins + 1) (min - 0.5 and max + 0.5 for constant data; [0, 1] when empty);
 * - bins are half-open [a, b) except the last, which includes its right edge.
 *
 * Non-finite values are skipped and counted, and a range too narrow for distinct edges (a few ulps) gets
 * one bin (numpy refuses both).
 */
export function autoHistogram(values: ArrayLike<number>, options?: AutoHistogramOptions): AutoHistogram {
  const { xs, skipped } = finiteValues(values);
  const n = xs.length;
  xs.sort();
  let first = n === 0 ? 0 : xs[0]!;
  let last = n === 0 ? 1 : xs[n - 1]!;
  const ptp = last - first;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  if (!Number.isFinite(last - first) || !(last > first)) {
    // A range past Number.MAX_VALUE, or constant values too large for ±0.5 to move: one bin holds all.
    return { edges: Float64Array.of(first, last), counts: Float64Array.of(n), count: n, skipped };
  }
  let bins = 1;
  if (n > 0) {
    const fd = 2 * (percentile(xs, 0.75) - percentile(xs, 0.25)) * n ** (-1 / 3);
    const sturges = ptp / (Math.log2(n) + 1);
    const sqrt = ptp / Math.sqrt(n);
    const width = Math.min(Math.max(fd, sqrt / 2), sturges);
    if (width) bins = Math.ceil((last - first) / width);
  }
  const maxBins = options?.maxBins;
  if (maxBins !== undefined && maxBins >= 1 && bins > maxBins) bins = Math.floor(maxBins);
  let edges = linspace(first, last, bins);
  // numpy refuses ("Too many bins for data range") when the range is a few ulps wide; one bin instead
  for (let i = 1; i <= bins; i++) {
    if (!(edges[i]! > edges[i - 1]!)) {
      bins = 1;
      edges = linspace(first, last, 1);
      break;
    }
  }
  const counts = new Float64Array(bins);
  const denom = last - first;
  for (let j = 0; j < n; j++) {
    const x = xs[j]!;
    let i = Math.trunc(((x - first) / denom) * bins);
    if (i === bins) i--;
    if (x < edges[i]!) i--;
    else if (i !== bins - 1 && x >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return { edges, counts, count: n, skipped };
}
