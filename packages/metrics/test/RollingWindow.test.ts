import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExponentialMovingAverage, movingAverage, RollingWindow } from '@grpo-otel/metrics';
import { close, closeAll, fixture, type GenSpec, values } from './helpers.js';

interface RollingCase {
  name: string;
  values: number[] | GenSpec;
  window: number;
  expect: Record<'index' | 'mean' | 'std' | 'std1' | 'min' | 'max' | 'count', number[]>;
}
interface EmaCase {
  name: string;
  values: number[];
  alpha: number;
  expect: number[];
}
const { rolling, ema } = fixture<{ rolling: RollingCase[]; ema: EmaCase[] }>('rolling.json');

for (const c of rolling) {
  test(`RollingWindow matches numpy on trailing slices: ${c.name}`, () => {
    const xs = values(c.values);
    const w = new RollingWindow(c.window);
    const e = c.expect;
    let k = 0;
    for (let i = 0; i < xs.length; i++) {
      w.push(xs[i]!);
      if (e.index[k] !== i) continue;
      const at = `step ${i}`;
      assert.equal(w.count, e.count[k], `${at}: count`);
      close(w.mean, e.mean[k]!, `${at}: mean`);
      close(w.std(), e.std[k]!, `${at}: std`);
      close(w.std(1), e.std1[k]!, `${at}: std ddof 1`);
      close(w.min, e.min[k]!, `${at}: min`);
      close(w.max, e.max[k]!, `${at}: max`);
      k++;
    }
    assert.equal(k, e.index.length, 'every checkpoint visited');
    // the batch form gives the same means at the checkpoints
    const ma = movingAverage(xs, c.window);
    closeAll(
      e.index.map((i) => ma[i]!),
      e.mean,
      'movingAverage',
    );
  });
}

for (const c of ema) {
  test(`ExponentialMovingAverage matches the recurrence: ${c.name}`, () => {
    const m = new ExponentialMovingAverage(c.alpha);
    closeAll(
      c.values.map((x) => m.push(x).value),
      c.expect,
      'ema',
    );
  });
}

test('RollingWindow: values() is the window oldest first; non-finite skipped and counted; reset', () => {
  const w = new RollingWindow(3);
  assert.ok(Number.isNaN(w.mean) && Number.isNaN(w.min) && Number.isNaN(w.max) && Number.isNaN(w.last));
  w.pushAll([1, Number.NaN, 2, 3, Number.NEGATIVE_INFINITY, 4]);
  assert.deepEqual([...w.values()], [2, 3, 4]);
  assert.equal(w.skipped, 2);
  assert.equal(w.full, true);
  assert.equal(w.last, 4);
  w.reset();
  assert.equal(w.count, 0);
  assert.throws(() => new RollingWindow(0), /capacity must be a positive integer/);
});

test('ExponentialMovingAverage.fromSpan uses alpha = 2 / (span + 1) and validates', () => {
  assert.equal(ExponentialMovingAverage.fromSpan(9).alpha, 0.2);
  assert.throws(() => new ExponentialMovingAverage(0), /alpha must be in \(0, 1\]/);
});

test('RollingWindow: the mean stays within the window after a huge value leaves it', () => {
  // fast-check's counterexample (reliability suite): the O(1) update's rounding after -2.8e126 left
  // a window of 3 had put the mean at +1.5e110, outside the values it averages.
  const w = new RollingWindow(3).pushAll([0, 0, 0, -2.8381782887841626e126, -5e-324, 0, 0]);
  assert.deepEqual(Array.from(w.values()), [-5e-324, 0, 0]);
  assert.ok(w.mean >= w.min && w.mean <= w.max, `mean ${w.mean} in [${w.min}, ${w.max}]`);
});
