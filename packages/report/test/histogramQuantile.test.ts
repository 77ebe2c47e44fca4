import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogramFromValues } from '@grpo-otel/exporter-tensorboard';
import { histogramQuantile } from '@grpo-otel/report';

test('histogramQuantile: interpolates inside buckets, edges clamped to min and max', () => {
  // 10 values in (0,10], 10 in (10,20]; min 2, max 18.
  const h = { min: 2, max: 18, bucketLimit: [10, 20, Number.MAX_VALUE], bucket: [10, 10, 0] };
  assert.equal(histogramQuantile(h, 0), 2);
  assert.equal(histogramQuantile(h, 1), 18);
  assert.equal(histogramQuantile(h, 0.5), 10);
  assert.equal(histogramQuantile(h, 0.25), 6); // halfway through [2, 10]
  assert.equal(histogramQuantile(h, 0.75), 14); // halfway through [10, 18]
  assert.ok(Number.isNaN(histogramQuantile({ min: 0, max: 0, bucketLimit: [1], bucket: [0] }, 0.5)));
});

test("histogramQuantile: close to the exact quantile of the values behind the exporter's histogram", () => {
  const values = Array.from({ length: 1000 }, (_, i) => 10 + ((i * 7919) % 500) / 10);
  const { histogram } = histogramFromValues(values);
  const sorted = [...values].sort((a, b) => a - b);
  for (const q of [0.1, 0.5, 0.9]) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
    const got = histogramQuantile(histogram!, q);
    assert.ok(Math.abs(got - exact) <= 0.1 * exact, `q=${q}: ${got} vs ${exact}`);
  }
});
