/** Mean of the values (NaN when empty). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** Population standard deviation (NaN when empty). */
export function std(values: readonly number[]): number {
  const m = mean(values);
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / values.length);
}

/** Seconds since a `performance.now()` reading. */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}
