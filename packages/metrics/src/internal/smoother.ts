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

/** The last `size` values of a series (a ring), to look `size - 1` updates back. */
export class History {
  private readonly buf: Float64Array;
  private n = 0;
  constructor(readonly size: number) {
    this.buf = new Float64Array(size);
  }
  push(x: number): void {
    this.buf[this.n++ % this.size] = x;
  }
  /** The value pushed `lag` updates before the latest (NaN if there is none). */
  back(lag: number): number {
    return lag < this.size && lag < this.n ? this.buf[(this.n - 1 - lag) % this.size]! : Number.NaN;
  }
  reset(): void {
    this.n = 0;
  }
}
