/** The parts of a TensorBoard histogram a quantile needs. */
export interface QuantileHistogram {
  min: number;
  max: number;
  bucketLimit: ArrayLike<number>;
  bucket: ArrayLike<number>;
}

/**
 * The `q`-quantile (0 ≤ q ≤ 1) of the values a TensorBoard histogram summarises, interpolated
 * linearly inside the bucket it falls in. Bucket i holds the values in (bucketLimit[i-1],
 * bucketLimit[i]]; the first starts at `min`, and edges are clamped to [min, max] (exporters write
 * ±DBL_MAX or the advice boundaries as outer edges). NaN for an empty histogram.
 */
export function histogramQuantile(h: QuantileHistogram, q: number): number {
  let total = 0;
  for (let i = 0; i < h.bucket.length; i++) total += Math.max(0, h.bucket[i]!);
  if (!(total > 0) || !Number.isFinite(q)) return Number.NaN;
  const lo = Number.isFinite(h.min) ? h.min : Number.NEGATIVE_INFINITY;
  const hi = Number.isFinite(h.max) ? h.max : Number.POSITIVE_INFINITY;
  const clamp = (x: number) => Math.min(hi, Math.max(lo, x));
  if (q <= 0 && Number.isFinite(h.min)) return h.min;
  if (q >= 1 && Number.isFinite(h.max)) return h.max;
  const rank = Math.min(1, Math.max(0, q)) * total;
  let seen = 0;
  for (let i = 0; i < h.bucket.length; i++) {
    const count = Math.max(0, h.bucket[i]!);
    if (count === 0) continue;
    if (seen + count >= rank) {
      const left = clamp(i === 0 ? lo : h.bucketLimit[i - 1]!);
      const right = clamp(h.bucketLimit[i]!);
      const a = Number.isFinite(left) ? left : right;
      const b = Number.isFinite(right) ? right : a;
      return a + ((rank - seen) / count) * (b - a);
    }
    seen += count;
  }
  return Number.isFinite(h.max) ? h.max : Number.NaN;
}
