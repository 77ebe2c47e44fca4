import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStepBatch, StepBatchError, stepBatchJobs } from '@grpo-otel/sink';
import { batchAttributes } from './support/stepBatch.js';

test('parseStepBatch: rewards function-major into one array per function; per-token arrays by token counts', () => {
  const b = parseStepBatch({
    'grpo.step': 7,
    'grpo.group.size': 2,
    'grpo.batch.reward_functions': ['a', 'b'],
    'grpo.batch.rewards': [1, 2, 3, 4, 10, 20, 30, 40],
    'grpo.batch.completions': ['w', 'x', 'y', 'z'],
    'grpo.batch.completion_lengths': [1, 2, 3, 4],
    'grpo.batch.token_counts': [1, 0, 2, 1],
    'grpo.batch.logprobs': [-1, -2, -3, -4],
    'grpo.batch.entropies': [0.1, 0.2, 0.3, 0.4],
  });
  assert.equal(b.step, 7);
  assert.equal(b.completions, 4);
  assert.deepEqual(b.rewards, { a: Float64Array.of(1, 2, 3, 4), b: Float64Array.of(10, 20, 30, 40) });
  const { rewards, generations } = stepBatchJobs(b);
  assert.equal(rewards.groupSize, 2);
  assert.equal(generations?.textBlob, 'wxyz');
  assert.deepEqual(generations?.sample?.offsets, Int32Array.of(0, 1, 1, 3, 4));
  assert.deepEqual(generations?.tokenCounts, Int32Array.of(1, 2, 3, 4));
  assert.equal(generations?.sample?.refLogprobs, undefined);
});

test('parseStepBatch: a record breaking the contract names the attribute', () => {
  const good = batchAttributes({ step: 1, level: 0.5 }) as Record<string, never>;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...good, 'grpo.step': undefined }, /grpo\.step is missing/],
    [{ ...good, 'grpo.step': -1 }, /grpo\.step must be a non-negative integer/],
    [{ ...good, 'grpo.group.size': 0 }, /grpo\.group\.size must be at least 1/],
    [
      { ...good, 'grpo.batch.rewards': [1, 2, 3] },
      /grpo\.batch\.rewards has 3 values, not a multiple of 2 functions/,
    ],
    [{ ...good, 'grpo.batch.rewards': 'x' }, /grpo\.batch\.rewards must be an array/],
    [{ ...good, 'grpo.batch.reward_functions': ['a', 'a'] }, /names a function twice/],
    [
      { ...good, 'grpo.batch.completions': ['only one'] },
      /grpo\.batch\.completions has 1 values, expected 8/,
    ],
    [{ ...good, 'grpo.batch.logprobs': [0] }, /grpo\.batch\.logprobs has 1 values, expected \d+/],
    [{ ...good, 'grpo.batch.token_counts': undefined }, /needs grpo\.batch\.token_counts/],
  ];
  for (const [attrs, message] of cases)
    assert.throws(
      () => parseStepBatch(attrs as never),
      (e: Error) => e instanceof StepBatchError && message.test(e.message),
      String(message),
    );
});
