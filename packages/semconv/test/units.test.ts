import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidUnit } from '../src/internal/units.js';

test('accepts UCUM units, annotations and rates', () => {
  for (const unit of [
    '1',
    's',
    'ms',
    'By',
    'MiBy',
    '%',
    '{token}',
    '{learning_rate}',
    '{token}/s',
    'By/s',
    '{reward}/h',
    '{token}/{reward}',
  ]) {
    assert.ok(isValidUnit(unit), unit);
  }
});

test('rejects unit words, malformed annotations and ambiguous rates', () => {
  for (const unit of [
    '',
    'seconds',
    'bytes',
    'tokens',
    '{Token}',
    '{token',
    'token}',
    '{}',
    '{a__b}',
    'By/s/s',
    '{x}/m',
    '{x}/min',
    '1/',
  ]) {
    assert.ok(!isValidUnit(unit), unit);
  }
});
