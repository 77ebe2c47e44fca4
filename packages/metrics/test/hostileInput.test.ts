// Hostile numbers through every computation (fast-check): NaN, ±Infinity, -0, the extremes of the
// double range (1e308, Number.MAX_VALUE, Number.MIN_VALUE), empty inputs and groups of size 1. Data
// never makes a function throw (only invalid options do, with a RangeError); finite inputs give
// statistics inside their bounds, and an overflow never turns a representable result into ±Infinity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  autoHistogram,
  CollapseDetector,
  clippedRatio,
  distinctN,
  duplicateCompletions,
  ExponentialMovingAverage,
  groupAdvantages,
  histogram,
  klEstimates,
  lengthDistribution,
  movingAverage,
  PlateauDetector,
  pairwiseCorrelations,
  pearson,
  RollingWindow,
  RunningStats,
  rank,
  repetitionRate,
  rewardStatistics,
  spearman,
  summarize,
  tokenEntropy,
  weightedTotal,
} from '@grpo-otel/metrics';
import { finiteNumber, hostileNumber } from '@grpo-otel/testkit/hostileArbitraries';
import fc from 'fast-check';

const FULL = process.env.GRPO_RELIABILITY === '1';
const RUNS = { numRuns: FULL ? 2000 : 200, seed: 424242 };

/** Any double, with the extremes often. */
const anyNumber = hostileNumber;
const anyArray = fc.array(anyNumber, { maxLength: 40 });
const finiteArray = fc.array(finiteNumber, { minLength: 1, maxLength: 40 });
const rewardDict = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), anyArray, { maxKeys: 4 });

const inRange = (x: number, lo: number, hi: number) => x >= lo && x <= hi;

test('summarize: any input never throws; finite input gives finite mean and median within [min, max]', () => {
  fc.assert(
    fc.property(anyArray, (xs) => {
      const s = summarize(xs);
      assert.equal(s.count + s.skipped, xs.length);
      if (s.count === 0) assert.ok(Number.isNaN(s.mean));
    }),
    RUNS,
  );
  fc.assert(
    fc.property(finiteArray, fc.constantFrom(0, 1) as fc.Arbitrary<0 | 1>, (xs, ddof) => {
      const s = summarize(xs, { ddof });
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      assert.equal(s.min, lo);
      assert.equal(s.max, hi);
      assert.ok(Number.isFinite(s.mean) && inRange(s.mean, lo, hi), `mean ${s.mean} in [${lo}, ${hi}]`);
      assert.ok(Number.isFinite(s.median) && inRange(s.median, lo, hi), `median ${s.median}`);
      if (xs.length > ddof) assert.ok(s.std >= 0, `std ${s.std} >= 0`);
      // The population std never exceeds half the range (Popoviciu), so it is representable.
      if (ddof === 0) assert.ok(s.std <= (hi - lo) / 2 || s.std <= hi / 2 - lo / 2, `std ${s.std}`);
    }),
    RUNS,
  );
});

test('summarize: the extremes by hand', () => {
  const m = Number.MAX_VALUE;
  assert.deepEqual(summarize([m, m]), { count: 2, mean: m, std: 0, min: m, max: m, median: m, skipped: 0 });
  const s = summarize([m, -m]);
  assert.equal(s.mean, 0);
  assert.equal(s.std, m);
  assert.equal(s.median, 0);
  assert.deepEqual(summarize([-0]), { count: 1, mean: 0, std: 0, min: -0, max: -0, median: -0, skipped: 0 });
  assert.deepEqual(summarize([]), {
    count: 0,
    mean: Number.NaN,
    std: Number.NaN,
    min: Number.NaN,
    max: Number.NaN,
    median: Number.NaN,
    skipped: 0,
  });
  const one = summarize([Number.NaN, 3, Number.POSITIVE_INFINITY], { ddof: 1 });
  assert.equal(one.count, 1);
  assert.equal(one.skipped, 2);
  assert.ok(Number.isNaN(one.std), 'a single value has no sample std');
});

test('rewards: statistics, totals, correlations and group advantages take any numbers and any group size', () => {
  fc.assert(
    fc.property(rewardDict, fc.integer({ min: 1, max: 12 }), (dict, groupSize) => {
      const stats = rewardStatistics(dict, { ddof: 1 });
      for (const [name, xs] of Object.entries(dict)) {
        assert.equal(stats.functions[name]!.count + stats.functions[name]!.skipped, xs.length);
      }
      const total = weightedTotal(dict);
      for (const v of total) assert.ok(!Number.isNaN(v), 'nansum never gives NaN');
      for (const c of pairwiseCorrelations(dict)) {
        for (const r of [c.pearson, c.spearman])
          assert.ok(Number.isNaN(r) || inRange(r, -1 - 1e-12, 1 + 1e-12), `r ${r}`);
      }
      const values = dict.a ?? [];
      for (const scale of ['group', 'batch', 'none'] as const) {
        const g = groupAdvantages(values, { groupSize, scaleRewards: scale });
        assert.equal(g.advantages.length, values.length);
        values.forEach((r, i) => {
          if (!Number.isFinite(r))
            assert.ok(Number.isNaN(g.advantages[i]!), 'a non-finite reward has no advantage');
        });
        if (groupSize === 1) {
          values.forEach((r, i) => {
            if (Number.isFinite(r))
              assert.ok(g.advantages[i] === 0, 'a group of one has advantage 0 (or -0)');
          });
        }
      }
    }),
    RUNS,
  );
  // Empty input and empty groups.
  const g = groupAdvantages([], { groupSize: 4 });
  assert.equal(g.advantages.length, 0);
  assert.equal(g.groups, 0);
  assert.deepEqual(pairwiseCorrelations({ a: [], b: [] }).length, 1);
  assert.ok(Number.isNaN(pearson([], [])));
  assert.ok(Number.isNaN(spearman([1], [2])));
});

test('pearson and spearman: any numbers give a value in [-1, 1] or NaN', () => {
  fc.assert(
    fc.property(anyArray, anyArray, (x, y) => {
      for (const r of [pearson(x, y), spearman(x, y)]) {
        assert.ok(Number.isNaN(r) || inRange(r, -1 - 1e-12, 1 + 1e-12), `r ${r}`);
      }
      assert.equal(rank(x).length, x.length);
    }),
    RUNS,
  );
});

test('histograms: counts add up to the finite values; no bucket edge is NaN', () => {
  fc.assert(
    fc.property(anyArray, fc.integer({ min: 1, max: 64 }), (xs, maxBins) => {
      const finite = xs.filter(Number.isFinite).length;
      const h = histogram(xs, [-1, 0, 1e300]);
      assert.equal(
        h.counts.reduce((a, b) => a + b, 0),
        finite,
      );
      const a = autoHistogram(xs, { maxBins });
      assert.equal(
        Array.from(a.counts).reduce((s, c) => s + c, 0),
        finite,
      );
      for (const e of a.edges) assert.ok(!Number.isNaN(e), 'edges are numbers');
    }),
    RUNS,
  );
});

test('rolling windows, running stats, moving averages and detectors take any stream', () => {
  fc.assert(
    fc.property(anyArray, fc.integer({ min: 1, max: 10 }), (xs, w) => {
      const win = new RollingWindow(w).pushAll(xs);
      const rs = new RunningStats().pushAll(xs);
      const ema = new ExponentialMovingAverage(0.5);
      const plateau = new PlateauDetector({ window: w });
      const collapse = new CollapseDetector({ window: w, threshold: 0.1 });
      xs.forEach((x, step) => {
        ema.push(x);
        plateau.update(x, step);
        collapse.update(x, step);
      });
      const finite = xs.filter(Number.isFinite);
      assert.equal(rs.count, finite.length);
      // Streaming statistics keep running sums: past ±1e150 they may overflow to ±Infinity (which the
      // SDK then drops and counts); below, they stay within the values' bounds.
      if (finite.length > 0 && finite.every((x) => Math.abs(x) <= 1e150)) {
        const lo = Math.min(...finite);
        const hi = Math.max(...finite);
        assert.ok(inRange(rs.mean, lo, hi), `running mean ${rs.mean} in [${lo}, ${hi}]`);
        assert.ok(Number.isNaN(win.mean) || inRange(win.mean, lo, hi), `window mean ${win.mean}`);
      }
      assert.equal(movingAverage(xs, w).length, xs.length);
    }),
    RUNS,
  );
});

test('text and token metrics: empty, single and hostile batches', () => {
  const texts = fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { maxLength: 8 });
  const seqs = fc.array(fc.array(fc.oneof(anyNumber, fc.string({ maxLength: 3 })), { maxLength: 12 }), {
    maxLength: 6,
  });
  fc.assert(
    fc.property(
      texts,
      seqs,
      fc.integer({ min: 1, max: 5 }),
      anyArray,
      anyNumber,
      (ts, ss, n, counts, maxTokens) => {
        const d = distinctN(ss as (number | string)[][], n);
        assert.ok(Number.isNaN(d.value) || inRange(d.value, 0, 1), `distinct ${d.value}`);
        const r = repetitionRate(ss as (number | string)[][], n);
        assert.ok(Number.isNaN(r.value) || inRange(r.value, 0, 1), `repetition ${r.value}`);
        duplicateCompletions(ts, { groupSize: n });
        lengthDistribution({ tokenCounts: counts, texts: ts });
        const c = clippedRatio({ tokenCounts: counts, maxTokens });
        assert.ok(Number.isNaN(c.ratio) || inRange(c.ratio, 0, 1));
        const e = tokenEntropy({ tokens: ss as (number | string)[][] });
        assert.ok(Number.isNaN(e.value) || e.value >= 0, `entropy ${e.value}`);
        const lp = ss.map((s) => s.filter((v): v is number => typeof v === 'number'));
        const e2 = tokenEntropy({ logprobs: lp });
        assert.ok(!(e2.value < 0 && Number.isFinite(e2.value)) || e2.value > -1e-9, `entropy ${e2.value}`);
        const e3 = tokenEntropy({ entropies: lp });
        assert.ok(
          Number.isNaN(e3.value) || (Number.isFinite(e3.value) && e3.value >= 0),
          `entropy ${e3.value}`,
        );
        assert.equal(
          e3.tokens + e3.skipped,
          lp.reduce((n, s) => n + s.length, 0),
          'every value counted',
        );
        const kl = klEstimates(lp, lp.slice().reverse());
        assert.ok(Number.isNaN(kl.k3.tokenMean) || kl.k3.tokenMean >= 0, `k3 ${kl.k3.tokenMean}`);
      },
    ),
    RUNS,
  );
});

test('reward functions named like Object.prototype members are ordinary names', () => {
  assert.deepEqual(Array.from(weightedTotal({ constructor: [1, 2], toString: [3, 4] }, {})), [4, 6]);
  assert.deepEqual(Array.from(weightedTotal({ __proto__: [1] } as never, { valueOf: 2 })), []);
  assert.equal(rewardStatistics({ constructor: [1, 3] }).total.mean, 2);
});

test('invalid options throw a RangeError naming the option; data never does', () => {
  assert.throws(() => groupAdvantages([1, 2], { groupSize: 0 }), RangeError);
  assert.throws(() => groupAdvantages([1, 2], { groupSize: 1.5 }), RangeError);
  assert.throws(() => weightedTotal({ a: [1] }, { a: Number.NaN }), RangeError);
  assert.throws(() => new RollingWindow(0), RangeError);
  assert.throws(() => histogram([1], [1, 0]), RangeError);
  assert.throws(() => distinctN([[1]], 0), RangeError);
});
