/** A plain-data snapshot of {@link RunningStats}, safe to send between threads (structured clone / JSON). */
export interface RunningStatsState {
  count: number;
  /**
   * The mean is shift + delta: `shift` is a reference value (the first value seen) and `delta` the mean
   * of (x - shift), kept apart so a large offset (1e12 + noise) survives a snapshot and a merge exactly.
   */
  shift: number;
  delta: number;
  /** Sum of squared deviations from the mean, sum((x - mean)^2). */
  m2: number;
  min: number;
  max: number;
  skipped: number;
}

/**
 * Streaming mean and variance (Welford's algorithm) with min, max and a merge (Chan et al.), so a
 * long run is summarised without keeping its values.
 *
 * push(x): n += 1; d = x - mean; mean += d / n; m2 += d * (x - mean).
 * merge(B): n = nA + nB; d = meanB - meanA; mean = meanA + d * nB / n; m2 = m2A + m2B + d^2 * nA * nB / n.
 * variance(ddof) = m2 / (n - ddof): ddof 0 (default) is the population variance, 1 the unbiased one.
 * Values are accumulated relative to the first one (shifted data), so a large offset loses no precision.
 *
 * Non-finite values are not added; they are counted in `skipped`. Empty stats report NaN.
 */
export class RunningStats {
  private n = 0;
  /** Values are accumulated relative to the first one, so a large common offset costs no precision. */
  private shift = 0;
  /** Mean of (x - shift). */
  private mu = 0;
  private m2 = 0;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  private nSkipped = 0;

  /** Adds one value; NaN and ±Infinity are counted in `skipped` instead. */
  push(x: number): this {
    if (!Number.isFinite(x)) {
      this.nSkipped++;
      return this;
    }
    if (this.n === 0) this.shift = x;
    this.n++;
    const xs = x - this.shift;
    const d = xs - this.mu;
    this.mu += d / this.n;
    this.m2 += d * (xs - this.mu);
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    return this;
  }

  /** Adds every value of `values` (typed arrays welcome). */
  pushAll(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.push(values[i]!);
    return this;
  }

  /** Folds another accumulator (or its snapshot) into this one; `other` is left unchanged. */
  merge(other: RunningStats | RunningStatsState): this {
    const o = other instanceof RunningStats ? other.snapshot() : other;
    this.nSkipped += o.skipped;
    if (o.count === 0) return this;
    if (this.n === 0) {
      this.n = o.count;
      this.shift = o.shift;
      this.mu = o.delta;
      this.m2 = o.m2;
      this.lo = o.min;
      this.hi = o.max;
      return this;
    }
    const n = this.n + o.count;
    const d = o.shift - this.shift + (o.delta - this.mu);
    this.mu += (d * o.count) / n;
    this.m2 += o.m2 + ((d * d * this.n) / n) * o.count;
    this.n = n;
    if (o.min < this.lo) this.lo = o.min;
    if (o.max > this.hi) this.hi = o.max;
    return this;
  }

  /** Forgets everything. */
  reset(): this {
    this.n = 0;
    this.shift = 0;
    this.mu = 0;
    this.m2 = 0;
    this.lo = Number.POSITIVE_INFINITY;
    this.hi = Number.NEGATIVE_INFINITY;
    this.nSkipped = 0;
    return this;
  }

  /** Number of finite values added. */
  get count(): number {
    return this.n;
  }
  /** Number of non-finite values rejected. */
  get skipped(): number {
    return this.nSkipped;
  }
  get mean(): number {
    return this.n === 0 ? Number.NaN : this.shift + this.mu;
  }
  get min(): number {
    return this.n === 0 ? Number.NaN : this.lo;
  }
  get max(): number {
    return this.n === 0 ? Number.NaN : this.hi;
  }
  /** m2 / (n - ddof); NaN when n <= ddof. */
  variance(ddof: 0 | 1 = 0): number {
    return this.n > ddof ? Math.max(0, this.m2) / (this.n - ddof) : Number.NaN;
  }
  /** sqrt(variance(ddof)); population (ddof 0) by default. */
  std(ddof: 0 | 1 = 0): number {
    return Math.sqrt(this.variance(ddof));
  }

  /** A plain-data copy of the state (for `merge` across threads or persisting). */
  snapshot(): RunningStatsState {
    return {
      count: this.n,
      shift: this.shift,
      delta: this.mu,
      m2: this.m2,
      min: this.lo,
      max: this.hi,
      skipped: this.nSkipped,
    };
  }

  /** Rebuilds an accumulator from {@link snapshot}'s output. */
  static fromState(state: RunningStatsState): RunningStats {
    return new RunningStats().merge(state);
  }
}
