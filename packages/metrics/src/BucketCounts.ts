/**
 * An explicit-bucket histogram in OpenTelemetry's layout (`counts.length === boundaries.length + 1`,
 * buckets upper-inclusive), with the count, sum, min and max of what it holds: the shape bucket
 * counts travel in from the analysis worker to the OTel producers and to the step sink.
 */
export interface BucketCounts {
  boundaries: number[];
  counts: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * Adds `add` to `into` and returns `into` when both have the same boundaries; otherwise (no `into`,
 * or other boundaries, which replace the old ones) returns a copy of `add`, which later calls may
 * merge into. `add` is never kept or changed.
 */
export function mergeBucketCounts(into: BucketCounts | undefined, add: Readonly<BucketCounts>): BucketCounts {
  if (into === undefined || !sameBoundaries(into.boundaries, add.boundaries)) {
    return {
      boundaries: [...add.boundaries],
      counts: [...add.counts],
      count: add.count,
      sum: add.sum,
      min: add.min,
      max: add.max,
    };
  }
  const counts = into.counts;
  for (let i = 0; i < counts.length; i++) counts[i]! += add.counts[i] ?? 0;
  into.count += add.count;
  into.sum += add.sum;
  into.min = Math.min(into.min, add.min);
  into.max = Math.max(into.max, add.max);
  return into;
}

function sameBoundaries(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
