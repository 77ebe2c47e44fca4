import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom, demonstration, generateProblems, Vocabulary } from '@grpo-otel/demo-trainer';

test('questions and worked solutions encode without unknown words and decode back', () => {
  const vocab = new Vocabulary(18);
  const random = createRandom(1);
  const { train, validation } = generateProblems(1);
  for (const p of [...train, ...validation]) {
    assert.ok(!vocab.encode(p.question).includes(vocab.unkId), p.question);
    const text = demonstration(p, random);
    const ids = vocab.encode(text);
    assert.ok(!ids.includes(vocab.unkId), text);
    assert.equal(vocab.decode([...ids, vocab.eosId, 7, 8]), text);
  }
});

test('decode puts each tag on its own line and stops at the end token', () => {
  const vocab = new Vocabulary(18);
  const ids = ['<reasoning>', '3', '+', '4', '=', '7', '</reasoning>', '<answer>', '7', '</answer>'].map(
    (t) => vocab.id(t),
  );
  assert.equal(vocab.decode(ids), '<reasoning>\n3 + 4 = 7\n</reasoning>\n<answer>\n7\n</answer>');
  assert.equal(vocab.decode([vocab.id('plus'), vocab.eosId, vocab.id('7')]), 'plus');
  assert.equal(vocab.id('zebra'), vocab.unkId);
});
