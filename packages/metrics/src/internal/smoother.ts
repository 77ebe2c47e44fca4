import { ExponentialMovingAverage } from '../ExponentialMovingAverage.js';
import { RollingWindow } from '../RollingWindow.js';

/** How a detector smooths its input series. */
export type Smoothing = 'ema' | 'sma' | 'none';

/** Returns a function pushing a finite value and returning the smoothed value. */
export function smoother(kind: Smoothing, span: number, who: string): (x: number) => number {
  if (kind === 'none') return (x) => x;
  if (!Number.isInteger(span) || span < 1) {
    throw new RangeError(`${who}: smoothingWindow must be a positive integer, got ${span}`);
  }
  if (kind === 'ema') {
    const ema = ExponentialMovingAverage.fromSpan(span);
    return (x) => ema.push(x).value;
  }
  if (kind === 'sma') {
    const w = new RollingWindow(span);
    return (x) => w.push(x).mean;
  }
  throw new RangeError(`${who}: smoothing must be 'ema', 'sma' or 'none', got ${String(kind)}`);
}
