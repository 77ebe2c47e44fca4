import type { HistogramProto } from './Event.js';

/** An OpenTelemetry explicit-bucket histogram point's value (sdk-metrics' `Histogram`). */
export interface ExplicitBucketHistogram {
  buckets: { boundaries: readonly number[]; counts: readonly number[] };
  count: number;
  sum?: number;
  min?: number;
  max?: number;
}

/**
 * A TensorBoard histogram from an OpenTelemetry explicit-bucket histogram point; undefined when the
 * point counts nothing.
 *
 * OTel bucket i holds values in (boundaries[i-1], boundaries[i]]; the last bucket is unbounded above.
 * Each becomes a HistogramProto bucket with `bucket_limit = boundaries[i]` (the overflow bucket's
 * limit is the point's max, or DBL_MAX without one). Empty buckets before the first and after the
 * last non-empty one are left out, so TensorBoard draws the data's range only, with min and max as
 * its outer edges.
 *
 * min/max come from the point; when it has none, they are estimated as the outer edges of the
 * non-empty buckets (an unbounded edge extends its neighbour bucket's width). sum comes from the
 * point (when it has none: the count-weighted bucket midpoints). OTel does not carry the sum of
 * squares: it is estimated as Σ countᵢ·midᵢ², where midᵢ is the midpoint of bucket i clipped to
 * [min, max], and raised to sum²/num if below it (its least possible value, all values equal).
 */
export function histogramFromExplicitBuckets(h: ExplicitBucketHistogram): HistogramProto | undefined {
  const { boundaries, counts } = h.buckets;
  let first = -1;
  let last = -1;
  for (let i = 0; i < counts.length; i++) {
    if ((counts[i] ?? 0) > 0) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return undefined;
  const nb = boundaries.length;
  let num = 0;
  for (let i = first; i <= last; i++) num += counts[i]!;
  const min = finite(h.min) ? h.min : lowerEdge(boundaries, first);
  const max = finite(h.max) ? h.max : upperEdge(boundaries, last);
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  let midSum = 0;
  let sumSquares = 0;
  for (let i = first; i <= last; i++) {
    const c = counts[i]!;
    bucketLimit.push(
      i >= nb
        ? finite(h.max)
          ? Math.max(h.max, boundaries[nb - 1] ?? h.max)
          : Number.MAX_VALUE
        : boundaries[i]!,
    );
    bucket.push(c);
    if (c > 0) {
      // With the point's min/max, the unbounded buckets end there.
      const lo = Math.max(i === 0 ? min : lowerEdge(boundaries, i), min);
      const hi = Math.min(i >= nb ? max : upperEdge(boundaries, i), max);
      const mid = lo <= hi ? (lo + hi) / 2 : (min + max) / 2;
      midSum += c * mid;
      sumSquares += c * mid * mid;
    }
  }
  const sum = finite(h.sum) ? h.sum : midSum;
  if (num > 0) sumSquares = Math.max(sumSquares, (sum * sum) / num);
  return { min, max, num, sum, sumSquares, bucketLimit, bucket };
}

// (Plain functions, not closures: this runs for every histogram point of every step.)

/** Width of the finite bucket ending at boundaries[i], for extending an unbounded edge; 1 without one. */
function width(boundaries: readonly number[], i: number): number {
  const a = boundaries[i - 1];
  const b = boundaries[i];
  return a !== undefined && b !== undefined && b > a ? b - a : 1;
}

/** Lower edge of bucket i; the unbounded first one extends its neighbour's width. */
function lowerEdge(boundaries: readonly number[], i: number): number {
  const nb = boundaries.length;
  return i === 0 ? (nb > 0 ? boundaries[0]! - width(boundaries, 1) : 0) : boundaries[i - 1]!;
}

/** Upper edge of bucket i; the unbounded last one extends its neighbour's width. */
function upperEdge(boundaries: readonly number[], i: number): number {
  const nb = boundaries.length;
  return i >= nb ? (nb > 0 ? boundaries[nb - 1]! + width(boundaries, nb - 1) : 0) : boundaries[i]!;
}

function finite(v: number | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
