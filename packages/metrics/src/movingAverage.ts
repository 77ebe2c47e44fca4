import { RollingWindow } from './RollingWindow.js';

/** How {@link movingAverage} treats non-finite values (NaN, ±Infinity). */
export interface MovingAverageOptions {
  /**
   * What the window counts.
   * - `'finite'` (the default; the batch form of {@link RollingWindow}): the last `window` finite values,
   *   however many positions they span; at a non-finite input the output repeats the current mean.
   * - `'positions'` (for charts, where each position is a step on the x axis): the last `window`
   *   positions; their finite values are averaged, and the output is NaN when none is finite. The line
   *   covers the same span of the axis everywhere, and a gap in the data longer than the window stays a
   *   gap instead of carrying an old mean across it.
   */
  counts?: 'finite' | 'positions';
}

/**
 * Trailing moving average of a series: out[i] is the mean of the window ending at values[i] (fewer
 * values at the start; NaN before the first finite value). Non-finite inputs never enter a mean; what
 * the window counts is `options.counts`. `window` is a positive integer.
 */
export function movingAverage(
  values: ArrayLike<number>,
  window = 100,
  options: MovingAverageOptions = {},
): Float64Array {
  if (options.counts === 'positions') return positionalAverage(values, window);
  const w = new RollingWindow(window);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = w.push(values[i]!).mean;
  return out;
}

function positionalAverage(values: ArrayLike<number>, window: number): Float64Array {
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(`movingAverage: window must be a positive integer, got ${window}`);
  }
  const out = new Float64Array(values.length);
  // A running sum with Neumaier's compensation, recomputed exactly every `window` positions so that
  // rounding cannot accumulate over a long series.
  let sum = 0;
  let comp = 0;
  let count = 0;
  const add = (x: number): void => {
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      add(v);
      count++;
    }
    if (i >= window) {
      const old = values[i - window]!;
      if (Number.isFinite(old)) {
        add(-old);
        count--;
      }
    }
    if (i % window === window - 1) {
      sum = 0;
      comp = 0;
      for (let j = i - window + 1; j <= i; j++) if (Number.isFinite(values[j]!)) add(values[j]!);
    }
    out[i] = count > 0 ? (sum + comp) / count : Number.NaN;
  }
  return out;
}
