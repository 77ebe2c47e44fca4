import assert from 'node:assert/strict';
import { test } from 'node:test';
import { movingAverage } from '@grpo-otel/metrics';
import fc from 'fast-check';

const list = (a: Float64Array): string[] => Array.from(a, String);

test('counting positions: the mean of the finite values among the last `window` points', () => {
  const positions = { counts: 'positions' } as const;
  assert.deepEqual(list(movingAverage([1, 2, 3, 4, 5], 2, positions)), ['1', '1.5', '2.5', '3.5', '4.5']);
  assert.deepEqual(list(movingAverage([1, Number.NaN, 3], 3, positions)), ['1', '1', '2']);
  assert.deepEqual(list(movingAverage([Number.NaN, 2], 1, positions)), ['NaN', '2']);
  // A gap longer than the window is a gap; counting finite values carries the old mean across it.
  const gap = [1, Number.NaN, Number.POSITIVE_INFINITY, 4];
  assert.deepEqual(list(movingAverage(gap, 2, positions)), ['1', '1', 'NaN', '4']);
  assert.deepEqual(list(movingAverage(gap, 2)), ['1', '1', '1', '2.5']);
  assert.deepEqual(list(movingAverage([], 3, positions)), []);
});

test('counting positions agrees with the mean of each trailing slice', () => {
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
  );
  fc.assert(
    fc.property(fc.array(value, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (xs, w) => {
      const got = movingAverage(xs, w, { counts: 'positions' });
      assert.equal(got.length, xs.length);
      for (let i = 0; i < xs.length; i++) {
        const finite = xs.slice(Math.max(0, i - w + 1), i + 1).filter(Number.isFinite);
        if (finite.length === 0) {
          assert.ok(Number.isNaN(got[i]!), `at ${i}: ${got[i]}`);
          continue;
        }
        const want = finite.reduce((s, x) => s + x, 0) / finite.length;
        assert.ok(Math.abs(got[i]! - want) <= 1e-9 * Math.max(1, ...finite.map(Math.abs)), `at ${i}`);
      }
    }),
    { numRuns: 300, seed: 1811 },
  );
});

test('counting positions needs a positive integer window', () => {
  assert.throws(() => movingAverage([1], 0, { counts: 'positions' }), RangeError);
  assert.throws(() => movingAverage([1], 2.5, { counts: 'positions' }), RangeError);
});
