import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateProblems, TEMPLATES } from '@grpo-otel/demo-trainer';

test('the split is deterministic per seed and no question is in both parts', () => {
  const a = generateProblems(1);
  const b = generateProblems(1);
  assert.deepEqual(a, b);
  const train = new Set(a.train.map((p) => p.question));
  for (const p of a.validation) assert.ok(!train.has(p.question), p.question);
  assert.equal(a.train.length + a.validation.length, (81 + 45) * TEMPLATES['+'].length);
  assert.ok(Math.abs(a.validation.length / (a.train.length + a.validation.length) - 0.2) < 0.01);
  assert.notDeepEqual(
    generateProblems(2).validation.map((p) => p.id),
    a.validation.map((p) => p.id),
  );
});

test('answers are the arithmetic of the operands, never negative', () => {
  const { train, validation } = generateProblems(3, { maxOperand: 5 });
  for (const p of [...train, ...validation]) {
    assert.equal(p.answer, p.op === '+' ? p.a + p.b : p.a - p.b);
    assert.ok(p.answer >= 0);
    assert.ok(p.question.includes(String(p.a)) && p.question.includes(String(p.b)), p.question);
  }
});
