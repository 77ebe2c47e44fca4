import type { HistogramProto } from './Event.js';

const DBL_MAX = Number.MAX_VALUE;

let defaultLimits: Float64Array | undefined;
/** Index of 0 in the default limits (774 negative limits before it). */
const DEFAULT_ZERO = 775;
const INV_LOG_1_1 = 1 / Math.log(1.1);

/**
 * TensorFlow's default histogram bucket limits (tensorflow/core/lib/histogram/histogram.cc, also
 * tensorboardX's `bins='tensorflow'`): ±1e-12 growing by 10% up to 1e20, 0 in the middle and
 * ±DBL_MAX at the ends (1549 limits). Bucket i holds values v with limit[i-1] <= v < limit[i].
 */
export function defaultBucketLimits(): Float64Array {
  if (defaultLimits) return defaultLimits;
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  pos.push(DBL_MAX);
  const limits = new Float64Array(pos.length * 2 + 1);
  for (let i = 0; i < pos.length; i++) {
    limits[pos.length - 1 - i] = -pos[i]!;
    limits[pos.length + 1 + i] = pos[i]!;
  }
  limits[pos.length] = 0;
  defaultLimits = limits;
  return limits;
}

export interface HistogramFromValuesOptions {
  /**
   * Strictly increasing bucket upper limits; values at or above the last one fall in the last bucket.
   * Default: {@link defaultBucketLimits}.
   */
  bucketLimits?: ArrayLike<number>;
}

export interface ValuesHistogram {
  /** Undefined when no finite value was given. */
  histogram: HistogramProto | undefined;
  /** NaN and ±Infinity values left out (TensorBoard cannot bucket them). */
  dropped: number;
}

let scratch = new Float64Array(0);

/**
 * A TensorBoard histogram of raw values, bucketed as TensorFlow's histogram.cc does, with exact
 * min, max, num, sum and sum_squares. Only the buckets from the first to the last non-empty one are
 * written, and each run of empty buckets between them is merged into one (as TensorFlow's
 * `EncodeToProto` does), so the proto stays small whatever the limits.
 */
export function histogramFromValues(
  values: ArrayLike<number>,
  options: HistogramFromValuesOptions = {},
): ValuesHistogram {
  const limits = options.bucketLimits ?? defaultBucketLimits();
  const isDefault = limits === defaultLimits;
  const nb = limits.length;
  if (nb === 0) throw new RangeError('histogramFromValues: bucketLimits must not be empty');
  if (scratch.length < nb) scratch = new Float64Array(nb);
  const counts = scratch;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  let num = 0;
  let dropped = 0;
  let first = nb;
  let last = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      dropped++;
      continue;
    }
    num++;
    sum += v;
    sumSquares += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
    // upper_bound: the first limit > v; values >= the last limit go to the last bucket.
    let u: number;
    if (isDefault) {
      // The default limits grow geometrically: guess from a logarithm, then step to the exact index.
      const a = v < 0 ? -v : v;
      const j = a < 1e-12 ? -1 : Math.floor(Math.log(a * 1e12) * INV_LOG_1_1);
      u = v >= 0 ? DEFAULT_ZERO + 2 + j : DEFAULT_ZERO - 1 - j;
      if (u < 0) u = 0;
      else if (u > nb) u = nb;
      while (u > 0 && limits[u - 1]! > v) u--;
      while (u < nb && limits[u]! <= v) u++;
    } else {
      let lo = 0;
      let hi = nb;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (limits[mid]! > v) hi = mid;
        else lo = mid + 1;
      }
      u = lo;
    }
    const b = u === nb ? nb - 1 : u;
    counts[b]! += 1;
    if (b < first) first = b;
    if (b > last) last = b;
  }
  if (num === 0) return { histogram: undefined, dropped };
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = first; i <= last; ) {
    let end = limits[i]!;
    const c = counts[i]!;
    counts[i] = 0;
    i++;
    if (c === 0) {
      while (i <= last && counts[i] === 0) end = limits[i++]!;
    }
    bucketLimit.push(end);
    bucket.push(c);
  }
  return { histogram: { min, max, num, sum, sumSquares, bucketLimit, bucket }, dropped };
}
