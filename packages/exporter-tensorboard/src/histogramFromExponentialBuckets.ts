import type { HistogramProto } from './Event.js';

/** An OpenTelemetry exponential histogram point's value (sdk-metrics' `ExponentialHistogram`). */
export interface ExponentialBucketHistogram {
  count: number;
  sum?: number;
  scale: number;
  zeroCount: number;
  positive: { offset: number; bucketCounts: readonly number[] };
  negative: { offset: number; bucketCounts: readonly number[] };
  min?: number;
  max?: number;
}

/**
 * A TensorBoard histogram from an OpenTelemetry exponential histogram point (undefined when it
 * counts nothing). With base = 2^(2^-scale), positive bucket index k holds (base^k, base^(k+1)],
 * negative index k holds [-base^(k+1), -base^k), and the zero bucket holds 0. Buckets are written in
 * increasing value order with their upper edges as limits, from the first to the last non-empty one.
 * min/max/sum come from the point when present (else the outer bucket edges / midpoints), and
 * sum_squares is estimated from bucket midpoints as for explicit buckets.
 */
export function histogramFromExponentialBuckets(h: ExponentialBucketHistogram): HistogramProto | undefined {
  const base = 2 ** (2 ** -h.scale);
  const edges: { lo: number; hi: number; count: number }[] = [];
  const neg = h.negative.bucketCounts;
  for (let j = neg.length - 1; j >= 0; j--) {
    const k = h.negative.offset + j;
    edges.push({ lo: -(base ** (k + 1)), hi: -(base ** k), count: neg[j] ?? 0 });
  }
  edges.push({ lo: 0, hi: 0, count: h.zeroCount });
  const pos = h.positive.bucketCounts;
  for (let j = 0; j < pos.length; j++) {
    const k = h.positive.offset + j;
    edges.push({ lo: base ** k, hi: base ** (k + 1), count: pos[j] ?? 0 });
  }
  let first = -1;
  let last = -1;
  edges.forEach((e, i) => {
    if (e.count > 0) {
      if (first < 0) first = i;
      last = i;
    }
  });
  if (first < 0) return undefined;
  const min = Number.isFinite(h.min) ? h.min! : edges[first]!.lo;
  const max = Number.isFinite(h.max) ? h.max! : edges[last]!.hi;
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  let num = 0;
  let midSum = 0;
  let sumSquares = 0;
  for (let i = first; i <= last; i++) {
    const e = edges[i]!;
    bucketLimit.push(i === last ? Math.max(e.hi, max) : e.hi);
    bucket.push(e.count);
    num += e.count;
    const lo = Math.max(e.lo, min);
    const hi = Math.min(e.hi, max);
    const mid = lo <= hi ? (lo + hi) / 2 : (min + max) / 2;
    midSum += e.count * mid;
    sumSquares += e.count * mid * mid;
  }
  const sum = Number.isFinite(h.sum) ? h.sum! : midSum;
  if (num > 0) sumSquares = Math.max(sumSquares, (sum * sum) / num);
  return { min, max, num, sum, sumSquares, bucketLimit, bucket };
}
