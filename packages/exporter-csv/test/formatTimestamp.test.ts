import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTimestamp } from '@grpo-otel/exporter-csv';
import fc from 'fast-check';

test('HrTime renders as Date#toISOString of its millisecond, cached or not', () => {
  assert.equal(formatTimestamp([1_714_566_896, 789_999_999]), '2024-05-01T12:34:56.789Z');
  assert.equal(formatTimestamp([1_714_566_896, 5_000_000]), '2024-05-01T12:34:56.005Z');
  assert.equal(formatTimestamp([1_714_566_896, 0]), '2024-05-01T12:34:56.000Z');
  assert.equal(formatTimestamp([0, 0]), '1970-01-01T00:00:00.000Z');
  assert.equal(formatTimestamp([Number.NaN, 0]), '');
  assert.equal(formatTimestamp([1e15, 0]), '');
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 4_102_444_800 }),
      fc.array(fc.integer({ min: 0, max: 999_999_999 }), { minLength: 1, maxLength: 5 }),
      (seconds, nanos) => {
        for (const ns of nanos) {
          const want = new Date(seconds * 1000 + Math.floor(ns / 1e6)).toISOString();
          assert.equal(formatTimestamp([seconds, ns]), want);
        }
      },
    ),
  );
});
