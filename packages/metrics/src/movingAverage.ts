import { RollingWindow } from './RollingWindow.js';

/**
 * Trailing moving average of a series: out[i] = mean of the last `window` finite values among
 * values[0..i] (fewer at the start; NaN before the first finite value). Non-finite inputs are skipped,
 * so out[i] at a NaN input repeats the current window's mean. The batch form of {@link RollingWindow}.
 */
export function movingAverage(values: ArrayLike<number>, window = 100): Float64Array {
  const w = new RollingWindow(window);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = w.push(values[i]!).mean;
  return out;
}
