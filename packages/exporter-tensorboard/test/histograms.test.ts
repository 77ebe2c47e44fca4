import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defaultBucketLimits,
  histogramFromExplicitBuckets,
  histogramFromExponentialBuckets,
  histogramFromValues,
} from '@grpo-otel/exporter-tensorboard';

test('defaultBucketLimits: TensorFlow histogram.cc limits: ±1e-12 growing by 1.1 to 1e20, 0, ±DBL_MAX', () => {
  const l = defaultBucketLimits();
  // 774 positive limits below 1e20, DBL_MAX, their negatives, and 0.
  assert.equal(l.length, 1551);
  assert.equal(l[0], -Number.MAX_VALUE);
  assert.equal(l[775], 0);
  assert.equal(l[776], 1e-12);
  assert.equal(l[777], 1e-12 * 1.1);
  assert.equal(l[774], -1e-12);
  assert.equal(l[1550], Number.MAX_VALUE);
  for (let i = 1; i < l.length; i++) assert.ok(l[i]! > l[i - 1]!, `strictly increasing at ${i}`);
  assert.ok(l[1549]! < 1e20 && l[1549]! * 1.1 >= 1e20);
});

test('histogramFromValues: exact stats; bucket i holds limit[i-1] <= v < limit[i]; empty runs merged', () => {
  const limits = [0, 1, 2, 3, 4, 5, 10];
  const { histogram: h, dropped } = histogramFromValues([0.5, 1, 1.5, 4.5, 4.9, 7], { bucketLimits: limits });
  assert.equal(dropped, 0);
  assert.ok(h);
  assert.equal(h.min, 0.5);
  assert.equal(h.max, 7);
  assert.equal(h.num, 6);
  assert.equal(h.sum, 0.5 + 1 + 1.5 + 4.5 + 4.9 + 7);
  assert.equal(h.sumSquares, 0.25 + 1 + 2.25 + 20.25 + 24.01 + 49);
  // [0,1): 0.5 | [1,2): 1, 1.5 | [2,3) and [3,4) empty: merged, limit 4 | [4,5): 4.5, 4.9 | [5,10): 7
  assert.deepEqual(Array.from(h.bucketLimit), [1, 2, 4, 5, 10]);
  assert.deepEqual(Array.from(h.bucket), [1, 2, 0, 2, 1]);
});

test('histogramFromValues: default limits put 0 right above 0 and keep only the data range', () => {
  const { histogram: h } = histogramFromValues([0, 0, 1, -1]);
  assert.ok(h);
  const l = defaultBucketLimits();
  assert.equal(
    h.bucketLimit[0],
    l.find((x) => x > -1),
  );
  assert.equal(h.bucket[0], 1);
  const zeroBucket = Array.from(h.bucketLimit).indexOf(1e-12);
  assert.equal(h.bucket[zeroBucket], 2, 'zeros are in [0, 1e-12)');
  assert.equal(
    h.bucketLimit[h.bucketLimit.length - 1],
    l.find((x) => x > 1),
  );
  assert.equal(
    Array.from(h.bucket).reduce((a, b) => a + b, 0),
    4,
  );
});

test('histogramFromValues: NaN and ±Infinity are left out and counted; none finite gives no histogram', () => {
  const r = histogramFromValues([1, Number.NaN, Infinity, -Infinity, 2]);
  assert.equal(r.dropped, 3);
  assert.equal(r.histogram?.num, 2);
  assert.deepEqual(histogramFromValues([Number.NaN]), { histogram: undefined, dropped: 1 });
  assert.deepEqual(histogramFromValues([]), { histogram: undefined, dropped: 0 });
});

test('histogramFromValues: values at or above the last limit fall in the last bucket', () => {
  const { histogram: h } = histogramFromValues([0.5, 5, 50], { bucketLimits: [1, 10] });
  assert.deepEqual(Array.from(h!.bucketLimit), [1, 10]);
  assert.deepEqual(Array.from(h!.bucket), [1, 2]);
});

test('histogramFromExplicitBuckets: OTel buckets (b[i-1], b[i]] become limits b[i], trimmed to the data', () => {
  const h = histogramFromExplicitBuckets({
    buckets: { boundaries: [0, 1, 2, 5], counts: [0, 3, 0, 4, 2] },
    count: 9,
    sum: 30,
    min: 0.5,
    max: 9,
  });
  assert.ok(h);
  assert.deepEqual(h.bucketLimit, [1, 2, 5, 9]);
  assert.deepEqual(h.bucket, [3, 0, 4, 2]);
  assert.equal(h.num, 9);
  assert.equal(h.sum, 30);
  assert.equal(h.min, 0.5);
  assert.equal(h.max, 9);
  // midpoints, the outer buckets ending at min and max: (0.5+1)/2, (2+5)/2, (5+9)/2
  const est = 3 * 0.75 ** 2 + 4 * 3.5 ** 2 + 2 * 7 ** 2;
  assert.equal(h.sumSquares, Math.max(est, (30 * 30) / 9));
});

test('histogramFromExplicitBuckets: sum_squares is never below sum²/num; one value gives it exactly', () => {
  const h = histogramFromExplicitBuckets({
    buckets: { boundaries: [0, 10], counts: [0, 1, 0] },
    count: 1,
    sum: 9.5,
    min: 9.5,
    max: 9.5,
  });
  assert.equal(h?.sumSquares, 9.5 * 9.5);
});

test('histogramFromExplicitBuckets: without min/max they are the outer edges of the non-empty buckets', () => {
  const h = histogramFromExplicitBuckets({
    buckets: { boundaries: [1, 2, 4], counts: [2, 0, 0, 1] },
    count: 3,
    sum: 8,
  });
  assert.ok(h);
  assert.equal(h.min, 0); // 1 - (2 - 1)
  assert.equal(h.max, 6); // 4 + (4 - 2)
  assert.deepEqual(h.bucketLimit, [1, 2, 4, Number.MAX_VALUE]);
  assert.deepEqual(h.bucket, [2, 0, 0, 1]);
  // Midpoints of the outer buckets, each ending at its estimated edge: (0+1)/2 and (4+6)/2.
  assert.equal(h.sumSquares, 2 * 0.5 ** 2 + 1 * 5 ** 2);
  assert.equal(
    histogramFromExplicitBuckets({ buckets: { boundaries: [1], counts: [0, 0] }, count: 0 }),
    undefined,
  );
});

test('histogramFromExponentialBuckets: negative, zero and positive buckets in value order', () => {
  // scale 0: base 2; positive index 1 = (2, 4], index 2 = (4, 8]; negative index 0 = [-2, -1)
  const h = histogramFromExponentialBuckets({
    count: 6,
    sum: 10,
    scale: 0,
    zeroCount: 1,
    positive: { offset: 1, bucketCounts: [2, 2] },
    negative: { offset: 0, bucketCounts: [1] },
    min: -1.5,
    max: 7,
  });
  assert.ok(h);
  assert.deepEqual(h.bucketLimit, [-1, 0, 4, 8]);
  assert.deepEqual(h.bucket, [1, 1, 2, 2]);
  assert.equal(h.num, 6);
  assert.equal(h.min, -1.5);
  assert.equal(h.max, 7);
});

test('histogramFromValues: the fast path for the default limits buckets exactly like a binary search', () => {
  const limits = defaultBucketLimits();
  const copy = Float64Array.from(limits); // not the default array: forces the binary search
  const values: number[] = [
    0,
    -0,
    1e-12,
    -1e-12,
    1e-13,
    -1e-13,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    1e25,
    -1e25,
  ];
  for (const l of limits) values.push(l, l * (1 + 1e-15), l * (1 - 1e-15), l / 1.05);
  let x = 12345;
  for (let i = 0; i < 50_000; i++) {
    x = (x * 48271) % 2147483647;
    values.push((x / 2147483647 - 0.5) * 10 ** ((i % 40) - 20));
  }
  const finite = values.filter(Number.isFinite);
  const fast = histogramFromValues(finite).histogram!;
  const slow = histogramFromValues(finite, { bucketLimits: copy }).histogram!;
  assert.deepEqual(Array.from(fast.bucketLimit), Array.from(slow.bucketLimit));
  assert.deepEqual(Array.from(fast.bucket), Array.from(slow.bucket));
});
