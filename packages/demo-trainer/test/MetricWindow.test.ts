import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetricWindow } from '@grpo-otel/demo-trainer';

test('means since the last flush, non-finite values left out', () => {
  const w = new MetricWindow();
  w.add({ loss: 1, kl: Number.NaN });
  w.add({ loss: 3, kl: 0.5 });
  assert.equal(w.size, 2);
  assert.deepEqual(w.flush(), { loss: 2, kl: 0.5 });
  assert.equal(w.size, 0);
  assert.deepEqual(w.flush(), {});
});
