import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '@grpo-otel/metrics';

const REFERENCE_42 = [0.6011037519201636, 0.44829055899754167, 0.8524657934904099];

test('mulberry32 gives the reference sequence of its seed, in [0, 1)', () => {
  const next = mulberry32(42);
  // The first values of mulberry32 for seed 42 (the demo trainer's runs depend on them).
  assert.deepEqual([next(), next(), next()], REFERENCE_42);
  const again = mulberry32(42);
  assert.equal(again(), REFERENCE_42[0]);
  const other = mulberry32(7);
  for (let i = 0; i < 10_000; i++) {
    const v = other();
    assert.ok(v >= 0 && v < 1, String(v));
  }
});

test('mulberry32 takes its seed as a 32-bit unsigned integer', () => {
  assert.equal(mulberry32(42.9)(), mulberry32(42)());
  assert.equal(mulberry32(2 ** 32 + 42)(), mulberry32(42)());
  assert.equal(mulberry32(-1)(), mulberry32(2 ** 32 - 1)());
});
