/**
 * Exponential moving average: s_1 = x_1; s_t = alpha * x_t + (1 - alpha) * s_{t-1}
 * (no bias correction; pandas' `ewm(alpha, adjust=False)`). `fromSpan(span)` uses alpha = 2 / (span + 1),
 * whose centre of mass matches a `span`-long simple moving average. Non-finite values are skipped and
 * counted. NaN before the first finite value.
 */
export class ExponentialMovingAverage {
  readonly alpha: number;
  private s = Number.NaN;
  private n = 0;
  private nSkipped = 0;

  constructor(alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new RangeError(`ExponentialMovingAverage: alpha must be in (0, 1], got ${alpha}`);
    }
    this.alpha = alpha;
  }

  /** alpha = 2 / (span + 1). */
  static fromSpan(span: number): ExponentialMovingAverage {
    if (!(span >= 1)) throw new RangeError(`ExponentialMovingAverage: span must be >= 1, got ${span}`);
    return new ExponentialMovingAverage(2 / (span + 1));
  }

  push(x: number): this {
    if (!Number.isFinite(x)) {
      this.nSkipped++;
      return this;
    }
    this.s = this.n++ === 0 ? x : this.alpha * x + (1 - this.alpha) * this.s;
    return this;
  }

  /** The current smoothed value. */
  get value(): number {
    return this.s;
  }
  /** Finite values pushed. */
  get count(): number {
    return this.n;
  }
  get skipped(): number {
    return this.nSkipped;
  }
  reset(): this {
    this.s = Number.NaN;
    this.n = 0;
    this.nSkipped = 0;
    return this;
  }
}
