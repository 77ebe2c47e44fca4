import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeStepBatches, parseStepBatch } from '@grpo-otel/sink';
import { batchAttributes } from './support/stepBatch.js';

test('mergeStepBatches: completions of every rank in order, per-token arrays concatenated', () => {
  const a = parseStepBatch(batchAttributes({ step: 3, level: 1, seed: 1 }) as never);
  const b = parseStepBatch(batchAttributes({ step: 3, level: 0, seed: 2 }) as never);
  const m = mergeStepBatches([a, b])!;
  assert.equal(m.step, 3);
  assert.equal(m.completions, a.completions + b.completions);
  assert.deepEqual([...m.rewards.correctness!], [...a.rewards.correctness!, ...b.rewards.correctness!]);
  assert.deepEqual(m.texts, [...a.texts!, ...b.texts!]);
  assert.equal(m.logprobs!.length, a.logprobs!.length + b.logprobs!.length);
  assert.deepEqual([...m.tokenCounts!], [...a.tokenCounts!, ...b.tokenCounts!]);
  assert.equal(mergeStepBatches([a]), a);
  const other = parseStepBatch({
    ...(batchAttributes({ step: 3, level: 0 }) as object),
    'grpo.group.size': 2,
  } as never);
  assert.equal(mergeStepBatches([a, other]), undefined, 'group sizes differ');
  const { texts: _t, ...noTexts } = b;
  assert.equal(mergeStepBatches([a, noTexts])!.texts, undefined, 'an array only when every rank sent it');
});
