import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupAdvantages } from '@grpo-otel/demo-trainer';

test('advantages are centred and scaled within each group', () => {
  const { advantages, groupStds, zeroStdRatio } = groupAdvantages([1, 0, 0, 0, 0.5, 0.5, 0.5, 0.5], 4);
  const std = Math.sqrt(0.75 / 3); // unbiased: sum of squares 0.75 over n - 1
  assert.ok(Math.abs(advantages[0]! - 0.75 / (std + 1e-4)) < 1e-12);
  assert.ok(Math.abs(advantages[1]! + 0.25 / (std + 1e-4)) < 1e-12);
  assert.deepEqual(advantages.slice(4), [0, 0, 0, 0]);
  assert.ok(Math.abs(groupStds[0]! - std) < 1e-12);
  assert.equal(zeroStdRatio, 0.5);
});

test('rewards that do not split into groups are refused', () => {
  assert.throws(() => groupAdvantages([1, 2, 3], 2), RangeError);
  assert.throws(() => groupAdvantages([1, 2], 0), RangeError);
});
