/**
 * Trailing moving average: output i is the mean of the finite values among inputs
 * max(0, i - window + 1) .. i (NaN while there is none). The same definition as the SDK's
 * `grpo.reward.moving_average`, for runs that did not record it.
 */
export function movingAverage(values: readonly number[], window: number): number[] {
  const w = Math.max(1, Math.floor(window));
  const out: number[] = [];
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
    if (i >= w) {
      const old = values[i - w]!;
      if (Number.isFinite(old)) {
        sum -= old;
        count--;
      }
    }
    out.push(count > 0 ? sum / count : Number.NaN);
  }
  return out;
}
