// The overhead benchmark's pairing and statistics (bench/overhead/pairs.ts) on fixed inputs; the
// expected values are worked out by hand. No timing here: the benchmark itself runs outside tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measuredSteps, quantile, runOrder, summarize } from '../bench/overhead/pairs.js';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);

test('runs go pair by pair, the first mode alternating', () => {
  assert.deepEqual(runOrder(3), [
    { pair: 0, mode: 'on' },
    { pair: 0, mode: 'off' },
    { pair: 1, mode: 'off' },
    { pair: 1, mode: 'on' },
    { pair: 2, mode: 'on' },
    { pair: 2, mode: 'off' },
  ]);
  assert.throws(() => runOrder(0), /pairs must be a positive integer/);
  assert.throws(() => runOrder(1.5), /pairs must be a positive integer/);
});

test('quantiles interpolate linearly between order statistics (numpy default)', () => {
  const xs = [4, 1, 3, 2]; // sorted 1 2 3 4
  close(quantile(xs, 0.5), 2.5, 'median');
  close(quantile(xs, 0.25), 1.75, 'q1');
  close(quantile(xs, 0.75), 3.25, 'q3');
  close(quantile(xs, 0), 1, 'min');
  close(quantile(xs, 1), 4, 'max');
  close(quantile([7], 0.25), 7, 'single value');
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.deepEqual(xs, [4, 1, 3, 2], 'the input is not sorted in place');
});

test('the warm-up steps of a run are dropped, and a run with nothing left is an error', () => {
  assert.deepEqual(measuredSteps([9, 8, 1, 2], 2), [1, 2]);
  assert.throws(() => measuredSteps([1, 2], 2), /2 steps, not more than the 2 skipped/);
});

test('summary: per-pair ratios of mean and median step time, their median and spread', () => {
  const s = summarize([
    // means 1.1 / 1.0, medians 1.0 / 1.0
    { on: [1.0, 1.0, 1.3], off: [1.0, 1.0, 1.0] },
    // means 2.0 / 2.5 = 0.8, medians 2 / 2.5 = 0.8
    { on: [2, 2, 2], off: [2.5, 2.5, 2.5] },
    // means 1.02 / 1.0, medians 1.02 / 1.0
    { on: [1.02, 1.02], off: [1.0, 1.0] },
    // means 3.3 / 3.0 = 1.1, medians 3.3 / 3.0
    { on: [3.3], off: [3.0] },
  ]);
  assert.equal(s.pairs, 4);
  const means = s.ratios.map((r) => r.meanRatio);
  for (const [i, v] of [1.1, 0.8, 1.02, 1.1].entries()) close(means[i]!, v, `pair ${i} mean ratio`);
  for (const [i, v] of [1.0, 0.8, 1.02, 1.1].entries())
    close(s.ratios[i]!.medianRatio, v, `pair ${i} median ratio`);
  // mean ratios sorted: 0.8 1.02 1.1 1.1
  close(s.meanRatio.median, 1.06, 'median of mean ratios');
  close(s.meanRatio.q1, 0.8 + 0.75 * 0.22, 'q1');
  close(s.meanRatio.q3, 1.1, 'q3');
  close(s.meanRatio.min, 0.8, 'min');
  close(s.meanRatio.max, 1.1, 'max');
  // median ratios sorted: 0.8 1.0 1.02 1.1
  close(s.medianRatio.median, 1.01, 'median of median ratios');
  assert.equal(s.slowerWithTelemetry, 3);
  // every step pooled: on 1 1 1.3 2 2 2 1.02 1.02 3.3 -> 1.3; off 1 1 1 2.5 2.5 2.5 1 1 3 -> 1
  close(s.pooledMedianSeconds.on, 1.3, 'pooled on');
  close(s.pooledMedianSeconds.off, 1, 'pooled off');
  assert.throws(() => summarize([]), /no pairs/);
});
