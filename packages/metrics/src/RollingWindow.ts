import { compensatedSum } from './internal/finite.js';

/**
 * The last `capacity` finite values pushed (a step window; default 100, the seed plan's reward-trend
 * window), with O(1) push and O(1) mean, variance, min and max.
 *
 * - mean and variance are updated in place when a value enters and the oldest leaves
 *   (mean' = mean + (x - y) / n; m2' = m2 + (x - y) * (x - mean' + y - mean), y the evicted value),
 *   on values shifted by a recent mean (so a large common offset such as 1e9 loses no precision), and
 *   recomputed exactly (compensated two-pass) once every `capacity` pushes, so rounding error cannot
 *   accumulate over a long run; amortised cost stays O(1).
 * - min and max come from monotonic deques (each value enters and leaves each deque once). When they
 *   are equal the window is constant and mean and variance are reported exactly (value and 0); otherwise
 *   the variance carries the rounding of O(1) updates, about 1e-16 * max(x^2) over the values pushed
 *   since the last exact recompute (fewer than 2 * capacity), so a std far below that magnitude is
 *   accurate to about 1e-8 * max|x| (the square root), not to 1e-16.
 *
 * Non-finite values do not enter the window; they are counted in `skipped`. So the window always
 * holds the last `capacity` finite values, which may span more than `capacity` pushes.
 * An empty window reports NaN.
 */
export class RollingWindow {
  readonly capacity: number;
  private readonly buf: Float64Array;
  /** Finite values pushed so far; value number s lives in buf[s % capacity]. */
  private pushes = 0;
  private n = 0;
  /** Values are accumulated relative to `shift` (a recent mean), so a large common offset costs no precision. */
  private shift = 0;
  /** Mean of (x - shift) over the window. */
  private mu = 0;
  private m2 = 0;
  private sinceExact = 0;
  private nSkipped = 0;
  // Monotonic deques of push numbers, circular over `capacity` slots.
  private readonly maxQ: Float64Array;
  private maxHead = 0;
  private maxLen = 0;
  private readonly minQ: Float64Array;
  private minHead = 0;
  private minLen = 0;

  constructor(capacity = 100) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RollingWindow: capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.buf = new Float64Array(capacity);
    this.maxQ = new Float64Array(capacity);
    this.minQ = new Float64Array(capacity);
  }

  /** Adds `x`, evicting the oldest value when full; NaN and ±Infinity are counted in `skipped`. */
  push(x: number): this {
    if (!Number.isFinite(x)) {
      this.nSkipped++;
      return this;
    }
    const cap = this.capacity;
    const s = this.pushes++;
    const slot = s % cap;
    if (this.n === 0) this.shift = x;
    const xs = x - this.shift;
    if (this.n === cap) {
      const ys = this.buf[slot]! - this.shift;
      this.buf[slot] = x;
      const old = this.mu;
      this.mu += (xs - ys) / cap;
      this.m2 += (xs - ys) * (xs - this.mu + ys - old);
      if (++this.sinceExact >= cap) this.recompute();
    } else {
      this.buf[slot] = x;
      this.n++;
      const d = xs - this.mu;
      this.mu += d / this.n;
      this.m2 += d * (xs - this.mu);
    }
    const oldest = s - cap; // push numbers <= oldest have left the window
    // max deque: values strictly decreasing from front to back
    while (this.maxLen > 0 && this.buf[this.maxQ[(this.maxHead + this.maxLen - 1) % cap]! % cap]! <= x) {
      this.maxLen--;
    }
    if (this.maxLen > 0 && this.maxQ[this.maxHead]! <= oldest) {
      this.maxHead = (this.maxHead + 1) % cap;
      this.maxLen--;
    }
    this.maxQ[(this.maxHead + this.maxLen++) % cap] = s;
    // min deque: values strictly increasing from front to back
    while (this.minLen > 0 && this.buf[this.minQ[(this.minHead + this.minLen - 1) % cap]! % cap]! >= x) {
      this.minLen--;
    }
    if (this.minLen > 0 && this.minQ[this.minHead]! <= oldest) {
      this.minHead = (this.minHead + 1) % cap;
      this.minLen--;
    }
    this.minQ[(this.minHead + this.minLen++) % cap] = s;
    return this;
  }

  /** Pushes every value of `values` in order. */
  pushAll(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.push(values[i]!);
    return this;
  }

  private recompute(): void {
    this.sinceExact = 0;
    const n = this.n;
    const shift = compensatedSum(this.buf, 0, n) / n;
    // the rounded mean becomes the new reference; the residual mean of (x - shift) is kept exactly
    let r = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const x = this.buf[i]! - shift;
      const t = r + x;
      c += Math.abs(r) >= Math.abs(x) ? r - t + x : x - t + r;
      r = t;
    }
    const mu = (r + c) / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      const d = this.buf[i]! - shift - mu;
      m2 += d * d;
    }
    this.shift = shift;
    this.mu = mu;
    this.m2 = m2;
  }

  /** Empties the window (and the skipped count). */
  reset(): this {
    this.pushes = 0;
    this.n = 0;
    this.shift = 0;
    this.mu = 0;
    this.m2 = 0;
    this.sinceExact = 0;
    this.nSkipped = 0;
    this.maxHead = this.maxLen = this.minHead = this.minLen = 0;
    return this;
  }

  /** Number of values in the window (at most `capacity`). */
  get count(): number {
    return this.n;
  }
  /** True once the window holds `capacity` values. */
  get full(): boolean {
    return this.n === this.capacity;
  }
  /** Non-finite values rejected so far. */
  get skipped(): number {
    return this.nSkipped;
  }
  /**
   * Mean of the window: the moving average. Kept within the window's min and max, where the exact mean
   * lies: after a value far larger than the rest leaves the window, the O(1) update's rounding (about
   * 1e-16 of that value) could otherwise put it outside until the next exact recompute.
   */
  get mean(): number {
    if (this.n === 0) return Number.NaN;
    const lo = this.min;
    const hi = this.max;
    if (lo === hi) return lo;
    const m = this.shift + this.mu;
    return m < lo ? lo : m > hi ? hi : m;
  }
  get min(): number {
    return this.minLen === 0 ? Number.NaN : this.buf[this.minQ[this.minHead]! % this.capacity]!;
  }
  get max(): number {
    return this.maxLen === 0 ? Number.NaN : this.buf[this.maxQ[this.maxHead]! % this.capacity]!;
  }
  /** The most recently pushed finite value (NaN when empty). */
  get last(): number {
    return this.n === 0 ? Number.NaN : this.buf[(this.pushes - 1) % this.capacity]!;
  }
  /** sum((x - mean)^2) / (n - ddof) over the window; population (ddof 0) by default; NaN when n <= ddof. */
  variance(ddof: 0 | 1 = 0): number {
    if (this.n <= ddof) return Number.NaN;
    return this.min === this.max ? 0 : Math.max(0, this.m2) / (this.n - ddof);
  }
  /** sqrt(variance(ddof)); population standard deviation by default. */
  std(ddof: 0 | 1 = 0): number {
    return Math.sqrt(this.variance(ddof));
  }
  /** The window's values, oldest first (a copy). */
  values(): Float64Array {
    const out = new Float64Array(this.n);
    const start = this.pushes - this.n;
    for (let i = 0; i < this.n; i++) out[i] = this.buf[(start + i) % this.capacity]!;
    return out;
  }
}
