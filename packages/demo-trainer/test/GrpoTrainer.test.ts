import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GrpoTrainer } from '@grpo-otel/demo-trainer';
import * as tf from '@tensorflow/tfjs';

test('a GRPO step reports its completions with token logprobs, and tensor memory stays flat', async () => {
  const trainer = await GrpoTrainer.create({
    seed: 4,
    groupSize: 4,
    promptsPerStep: 3,
    hiddenSize: 32,
    warmupBatchSize: 8,
  });
  for (let i = 0; i < 3; i++) trainer.warmupStep();
  trainer.freezeReference();
  const counts: number[] = [];
  for (let step = 1; step <= 8; step++) {
    const r = trainer.step(step);
    assert.equal(r.completions.length, 12);
    assert.equal(r.groupSize, 4);
    for (const c of r.completions) {
      assert.equal(c.logprobs.length, c.tokens.length);
      assert.equal(c.refLogprobs.length, c.tokens.length);
      assert.equal(c.entropies.length, c.tokens.length);
      assert.ok(c.entropies.every((h) => h > 0 && h <= Math.log(trainer.vocabulary.size) + 1e-6));
      assert.ok(c.logprobs.every((x) => Number.isFinite(x) && x <= 0));
      assert.deepEqual(Object.keys(c.rewards).length, trainer.rewards.length);
    }
    for (let g = 0; g < 12; g += 4) {
      const adv = r.advantages.slice(g, g + 4);
      assert.ok(Math.abs(adv.reduce((a, b) => a + b, 0)) < 1e-9);
      assert.ok(r.completions.slice(g, g + 4).every((c) => c.problem === r.completions[g]!.problem));
    }
    assert.ok(Number.isFinite(r.loss) && Number.isFinite(r.kl) && r.kl >= 0 && r.gradNorm > 0);
    assert.ok(r.correctness >= 0 && r.correctness <= 1);
    counts.push(tf.memory().numTensors);
  }
  // Adam creates its moment slots at the first update; after that the tensor count must not move.
  assert.deepEqual(new Set(counts.slice(1)).size, 1, `tensor counts per step: ${counts.join(', ')}`);
  const g = trainer.generate(trainer.problems.validation[0]!.question);
  assert.equal(typeof g.text, 'string');
  assert.ok(g.tokens >= 1);
  const e = trainer.evaluate(trainer.problems.validation.slice(0, 10));
  assert.equal(e.total, 10);
  trainer.dispose();
});
