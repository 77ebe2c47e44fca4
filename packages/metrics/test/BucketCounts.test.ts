import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BucketCounts, mergeBucketCounts } from '@grpo-otel/metrics';

const h = (counts: number[], boundaries = [0, 1]): BucketCounts => ({
  boundaries,
  counts,
  count: counts.reduce((a, b) => a + b, 0),
  sum: 1,
  min: -1,
  max: 2,
});

test('mergeBucketCounts: nothing to merge into gives a copy, which later calls merge into', () => {
  const first = h([1, 2, 3]);
  const kept = mergeBucketCounts(undefined, first);
  assert.notEqual(kept, first);
  assert.notEqual(kept.counts, first.counts);
  assert.deepEqual(kept, first);
  const again = mergeBucketCounts(kept, { ...h([0, 1, 1]), sum: 2, min: -3, max: 1 });
  assert.equal(again, kept);
  assert.deepEqual(kept, { boundaries: [0, 1], counts: [1, 3, 4], count: 8, sum: 3, min: -3, max: 2 });
  assert.deepEqual(first.counts, [1, 2, 3], 'what was added is not changed');
});

test('mergeBucketCounts: other boundaries replace the kept histogram', () => {
  const kept = mergeBucketCounts(undefined, h([1, 1, 1]));
  const next = h([5, 0, 0, 0], [0, 1, 2]);
  const merged = mergeBucketCounts(kept, next);
  assert.notEqual(merged, kept);
  assert.deepEqual(merged, next);
  assert.deepEqual(kept.counts, [1, 1, 1]);
});
