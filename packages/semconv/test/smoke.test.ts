import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEMCONV_PLACEHOLDER } from '@grpo-otel/semconv';

test('resolves workspace package from source', () => {
  assert.equal(SEMCONV_PLACEHOLDER, 1);
});
