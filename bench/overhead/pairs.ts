// Pairing and summary statistics of the overhead benchmark (pure functions, tested in
// test/benchOverhead.test.ts on fixed inputs).

/** Which mode a run measures: full telemetry, or the SDK disabled (OTEL_SDK_DISABLED=true). */
export type Mode = 'on' | 'off';

/**
 * The order of the runs: one pair after the other, each pair's two runs back to back, the first
 * mode alternating from pair to pair (on-off, off-on, on-off, ...) so that whatever favours the first
 * (or second) run of a pair, such as a cache warmed by the run before, falls on both modes equally.
 * Pairs 2k and 2k+1 make one ABBA block (on, off, off, on): `summarizeOrders` cancels the order
 * effect within each block (and a drift that is linear over its four runs).
 */
export function runOrder(pairs: number): { pair: number; mode: Mode }[] {
  if (!Number.isInteger(pairs) || pairs < 1)
    throw new RangeError(`pairs must be a positive integer, got ${pairs}`);
  const order: { pair: number; mode: Mode }[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const first: Mode = pair % 2 === 0 ? 'on' : 'off';
    order.push({ pair, mode: first }, { pair, mode: first === 'on' ? 'off' : 'on' });
  }
  return order;
}

/** Linear-interpolation quantile (type 7, numpy's default) of `values`, `q` in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** P(X <= k) for X ~ Binomial(n, 1/2), summed exactly in doubles (n up to about 1000). */
function halfBinomialCdf(n: number, k: number): number {
  let term = 0.5 ** n; // P(X = 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

/**
 * A distribution-free confidence interval for the median of `values`: the order statistics
 * x(k) .. x(n+1-k) for the largest k whose two tails P(Binomial(n, 1/2) <= k-1) stay within
 * (1 - confidence) / 2 each (scipy.stats.quantile_test's interval for p = 0.5). `coverage` is the
 * interval's exact probability of holding the median (at least `confidence`). With too few values for
 * that confidence (5 or fewer at 95%) low and high are NaN, as in scipy.
 */
export function medianInterval(
  values: readonly number[],
  confidence = 0.95,
): { low: number; high: number; coverage: number } {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const n = values.length;
  const alpha = (1 - confidence) / 2;
  let k = 0;
  while (k + 1 <= n - k && halfBinomialCdf(n, k) <= alpha) k++;
  if (k === 0) return { low: Number.NaN, high: Number.NaN, coverage: Number.NaN };
  const s = [...values].sort((a, b) => a - b);
  return { low: s[k - 1]!, high: s[n - k]!, coverage: 1 - 2 * halfBinomialCdf(n, k - 1) };
}

export const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;

/** The per-step times of one run that count: the first `skip` steps (warm-up of the JIT, caches) dropped. */
export function measuredSteps(stepSeconds: readonly number[], skip: number): number[] {
  if (stepSeconds.length <= skip)
    throw new RangeError(`a run has ${stepSeconds.length} steps, not more than the ${skip} skipped`);
  return stepSeconds.slice(skip);
}

/** One pair of runs, on and off, as their per-step times (seconds, warm-up steps already dropped). */
export interface PairSteps {
  on: readonly number[];
  off: readonly number[];
}

export interface PairRatio {
  /** Mean step time with telemetry over mean step time without (every step counts, spikes too). */
  meanRatio: number;
  /** Median step time with telemetry over median step time without. */
  medianRatio: number;
  /**
   * Mean step time with telemetry minus mean step time without (seconds): what telemetry adds to a
   * step in absolute terms, which does not grow with the model (the same calls at every step).
   */
  meanDifference: number;
}

export function pairRatio(p: PairSteps): PairRatio {
  return {
    meanRatio: mean(p.on) / mean(p.off),
    medianRatio: median(p.on) / median(p.off),
    meanDifference: mean(p.on) - mean(p.off),
  };
}

export interface OverheadSummary {
  pairs: number;
  ratios: PairRatio[];
  /**
   * Median over the pairs of the mean-step-time ratio, its quartiles, minimum and maximum, and the 95%
   * distribution-free confidence interval of that median (`medianInterval`; NaN with 5 pairs or fewer).
   */
  meanRatio: Spread;
  /** The same for the median-step-time ratio. */
  medianRatio: Spread;
  /** The same for the difference of mean step times (seconds). */
  meanDifference: Spread;
  /** Pairs in which the run with telemetry was the slower one (by mean step time). */
  slowerWithTelemetry: number;
  /** Median step time over every measured step of every run, per mode (seconds). */
  pooledMedianSeconds: Record<Mode, number>;
}

/** Median, quartiles and extremes of one figure per pair. */
export interface Spread {
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** 95% confidence interval of the median, and its exact coverage. */
  ci: { low: number; high: number; coverage: number };
}

/** Median, quartiles, extremes and the 95% interval of the median of `xs` (one figure per pair or block). */
export function spread(xs: readonly number[]): Spread {
  return {
    median: median(xs),
    q1: quantile(xs, 0.25),
    q3: quantile(xs, 0.75),
    min: Math.min(...xs),
    max: Math.max(...xs),
    ci: medianInterval(xs),
  };
}

/** Per-pair ratios and their median and spread. */
export function summarize(pairs: readonly PairSteps[]): OverheadSummary {
  if (pairs.length === 0) throw new RangeError('no pairs to summarize');
  const ratios = pairs.map(pairRatio);
  const m = ratios.map((r) => r.meanRatio);
  const d = ratios.map((r) => r.medianRatio);
  return {
    pairs: pairs.length,
    ratios,
    meanRatio: spread(m),
    medianRatio: spread(d),
    meanDifference: spread(ratios.map((r) => r.meanDifference)),
    slowerWithTelemetry: m.filter((r) => r > 1).length,
    pooledMedianSeconds: {
      on: median(pairs.flatMap((p) => p.on)),
      off: median(pairs.flatMap((p) => p.off)),
    },
  };
}

/** The order a pair ran in (`runOrder`): telemetry first (`on-off`, even pairs) or second (`off-on`). */
export type PairOrder = 'on-off' | 'off-on';
export const pairOrder = (pair: number): PairOrder => (pair % 2 === 0 ? 'on-off' : 'off-on');

/**
 * One figure per ABBA block from the figures of its two pairs, in run order (pair 2k ran on-off,
 * pair 2k+1 off-on; an odd last pair has no partner and is left out).
 * - ratios (`geometric`): the geometric mean of the two ratios. If running first multiplies a run's
 *   step time by e (the order effect), pair 2k measures t*e and pair 2k+1 t/e: their geometric mean
 *   is t.
 * - differences (`arithmetic`): the mean of the two (an additive order effect d: t+d and t-d).
 */
export function abbaBlocks(values: readonly number[], kind: 'geometric' | 'arithmetic'): number[] {
  const out: number[] = [];
  for (let k = 0; 2 * k + 1 < values.length; k++) {
    const a = values[2 * k]!;
    const b = values[2 * k + 1]!;
    out.push(kind === 'geometric' ? Math.sqrt(a * b) : (a + b) / 2);
  }
  return out;
}

/**
 * The order effect of each ABBA block as a ratio: sqrt(ratio of its on-off pair / ratio of its off-on
 * pair), i.e. e above: how much slower a run is for running first of its pair (1: no order effect).
 */
export function orderEffects(ratios: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; 2 * k + 1 < ratios.length; k++) out.push(Math.sqrt(ratios[2 * k]! / ratios[2 * k + 1]!));
  return out;
}

/** The pairs of each order summarized apart, and the ABBA blocks' figures with the order effect removed. */
export interface OrderedSummary {
  /** Every pair together (`summarize`). */
  all: OverheadSummary;
  /** The pairs that ran telemetry first, and those that ran it second (undefined: none ran so). */
  byOrder: Record<PairOrder, OverheadSummary | undefined>;
  /**
   * The geometric mean of the two orders' medians (of the mean-step-time ratio): the order effect
   * removed from the medians; NaN unless both orders ran.
   */
  combinedMedians: number;
  /** ABBA blocks (complete ones: `pairs` / 2, rounded down); the rest undefined when there are none. */
  blocks: number;
  /** Per block, the geometric mean of its two pairs' mean-step-time ratios; their median and spread. */
  meanRatio: Spread | undefined;
  /** The same for the median-step-time ratio. */
  medianRatio: Spread | undefined;
  /** Per block, the mean of its two pairs' differences of mean step times (seconds). */
  meanDifference: Spread | undefined;
  /** Per block, the order effect of the mean-step-time ratio (`orderEffects`). */
  orderEffect: Spread | undefined;
}

/** `summarize`, per order, and per ABBA block; `pairs` in run order (`runOrder`). */
export function summarizeOrders(pairs: readonly PairSteps[]): OrderedSummary {
  const all = summarize(pairs);
  const of = (order: PairOrder): OverheadSummary | undefined => {
    const these = pairs.filter((_, i) => pairOrder(i) === order);
    return these.length > 0 ? summarize(these) : undefined;
  };
  const byOrder = { 'on-off': of('on-off'), 'off-on': of('off-on') };
  const combinedMedians =
    byOrder['on-off'] && byOrder['off-on']
      ? Math.sqrt(byOrder['on-off'].meanRatio.median * byOrder['off-on'].meanRatio.median)
      : Number.NaN;
  const blocks = Math.floor(pairs.length / 2);
  const over = (xs: number[]): Spread | undefined => (xs.length > 0 ? spread(xs) : undefined);
  return {
    all,
    byOrder,
    combinedMedians,
    blocks,
    meanRatio: over(
      abbaBlocks(
        all.ratios.map((r) => r.meanRatio),
        'geometric',
      ),
    ),
    medianRatio: over(
      abbaBlocks(
        all.ratios.map((r) => r.medianRatio),
        'geometric',
      ),
    ),
    meanDifference: over(
      abbaBlocks(
        all.ratios.map((r) => r.meanDifference),
        'arithmetic',
      ),
    ),
    orderEffect: over(orderEffects(all.ratios.map((r) => r.meanRatio))),
  };
}
