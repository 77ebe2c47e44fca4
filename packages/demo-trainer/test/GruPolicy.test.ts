import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createRandom, GruPolicy, initWasmBackend, Vocabulary } from '@grpo-otel/demo-trainer';
import * as tf from '@tensorflow/tfjs';

before(async () => {
  await initWasmBackend();
});

const vocab = new Vocabulary(18);
const prompts = ['What is 3+4?', 'Tom has 7 apples and gives away 3. How many are left?'].map((q) =>
  vocab.encode(q),
);

test('the sampler records the same log-probabilities as teacher-forced scoring', () => {
  const policy = GruPolicy.create({ vocabSize: vocab.size, embeddingSize: 8, hiddenSize: 16 }, 3);
  const rows = prompts.flatMap((p) => [p, p, p]);
  const s = policy.sample(rows, vocab.eosId, {
    maxTokens: 10,
    random: createRandom(5),
  });
  const perRow = tf.tidy(() => policy.tokenLogProbs({ prompts: rows, completions: s.tokens }).arraySync());
  const shared = tf.tidy(() =>
    policy.tokenLogProbs({ prompts, completions: s.tokens, groupSize: 3 }).arraySync(),
  );
  s.tokens.forEach((tokens, b) => {
    assert.ok(tokens.length >= 1 && tokens.length <= 10);
    assert.equal(s.finished[b], tokens.at(-1) === vocab.eosId);
    tokens.forEach((_, t) => {
      assert.ok(Math.abs(s.logprobs[b]![t]! - perRow[b]![t]!) < 1e-4);
      assert.ok(Math.abs(s.logprobs[b]![t]! - shared[b]![t]!) < 1e-4);
      // The entropy of a distribution over the vocabulary: in (0, log V].
      const h = s.entropies[b]![t]!;
      assert.ok(h > 0 && h <= Math.log(vocab.size) + 1e-6, `entropy ${h}`);
    });
  });
  policy.dispose();
});

test('same seed, same weights and samples; greedy decoding is deterministic; nothing leaks', () => {
  const before = tf.memory().numTensors;
  const a = GruPolicy.create({ vocabSize: vocab.size, embeddingSize: 8, hiddenSize: 16 }, 11);
  const b = GruPolicy.create({ vocabSize: vocab.size, embeddingSize: 8, hiddenSize: 16 }, 11);
  const opts = { maxTokens: 8, random: createRandom(2) };
  const sa = a.sample(prompts, vocab.eosId, opts);
  const sb = b.sample(prompts, vocab.eosId, { ...opts, random: createRandom(2) });
  assert.deepEqual(sa.tokens, sb.tokens);
  assert.deepEqual(
    a.sample(prompts, vocab.eosId, { maxTokens: 8, greedy: true }).tokens,
    a.sample(prompts, vocab.eosId, { maxTokens: 8, greedy: true }).tokens,
  );
  const ref = a.snapshot();
  assert.equal(ref.trainable, false);
  assert.equal(ref.parameterCount, a.parameterCount);
  for (const p of [a, b, ref]) p.dispose();
  assert.equal(tf.memory().numTensors, before);
});
