// Task metrics against a hand-written Python scanner of the documented number grammar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  classifyAnswer,
  completeness,
  correctnessRate,
  extractNumericAnswer,
  hallucinationRate,
  hallucinations,
  type RequiredStep,
  reasoningCompleteness,
} from '@grpo-otel/metrics';
import { findNumbers } from '../src/internal/numbers.js';
import { close, closeAll, fixture } from './helpers.js';

interface Fixture {
  extraction: { text: string; expect: { value: number; source: 'answer' | 'text' } | null }[];
  numbers: { text: string; expect: number[] }[];
  correctness: {
    completions: string[];
    references: (number | string | null)[];
    expect: { rate: number; correct: number; total: number; unparsed: number; skipped: number };
  };
  completeness: {
    items: {
      completion: string;
      required: RequiredStep[];
      expect: { fraction: number; present: number; required: number };
    }[];
    expect: { value: number; items: number; skipped: number };
  };
  hallucination: {
    items: {
      completion: string;
      question: string;
      referenceSteps: string | (string | number)[];
      expect: { rate: number; numbers: number; unsupported: number; unsupportedValues: number[] };
    }[];
    expect: {
      value: number;
      meanRate: number;
      numbers: number;
      unsupported: number;
      items: number;
      skipped: number;
    };
  };
}
const f = fixture<Fixture>('task.json');
const show = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…(${s.length})` : s);

test('extractNumericAnswer follows the documented grammar (Python scanner)', () => {
  for (const c of f.extraction) {
    const got = extractNumericAnswer(c.text);
    if (c.expect === null) {
      assert.equal(got, undefined, show(c.text));
    } else {
      assert.ok(got, `${show(c.text)}: expected ${c.expect.value}`);
      close(got.value, c.expect.value, show(c.text), 0);
      assert.equal(got.source, c.expect.source, show(c.text));
    }
  }
});

test('every number in a text, in order (Python scanner)', () => {
  for (const c of f.numbers) {
    closeAll(
      findNumbers(c.text).map((m) => m.value),
      c.expect,
      show(c.text),
      0,
    );
  }
});

test('correctnessRate with tolerance and text references', () => {
  const c = f.correctness;
  const refs = c.references.map((r) => (r === null ? (undefined as unknown as number) : r));
  const got = correctnessRate(c.completions, refs);
  close(got.rate, c.expect.rate, 'rate');
  const { rate: _a, ...rest } = got;
  const { rate: _b, ...expected } = c.expect;
  assert.deepEqual(rest, expected);
});

test('reasoning completeness: numbers within tolerance, phrases case- and space-insensitive', () => {
  for (const it of f.completeness.items) {
    const got = completeness(it.completion, it.required);
    close(got.fraction, it.expect.fraction, show(it.completion));
    assert.equal(got.present, it.expect.present);
    assert.equal(got.required, it.expect.required);
    assert.equal(got.missing.length, it.expect.required - it.expect.present);
  }
  const b = reasoningCompleteness(f.completeness.items);
  close(b.value, f.completeness.expect.value, 'batch');
  assert.equal(b.items, f.completeness.expect.items);
  assert.equal(b.skipped, f.completeness.expect.skipped);
});

test('hallucinations: numbers in the reasoning found neither in the question nor in the reference', () => {
  for (const it of f.hallucination.items) {
    const got = hallucinations(it.completion, it.question, it.referenceSteps);
    close(got.rate, it.expect.rate, show(it.completion));
    assert.equal(got.numbers, it.expect.numbers);
    assert.equal(got.unsupported, it.expect.unsupported);
    closeAll(got.unsupportedValues, it.expect.unsupportedValues, 'values', 0);
  }
  const b = hallucinationRate(f.hallucination.items);
  const e = f.hallucination.expect;
  close(b.value, e.value, 'micro');
  close(b.meanRate, e.meanRate, 'macro');
  assert.deepEqual(
    [b.numbers, b.unsupported, b.items, b.skipped],
    [e.numbers, e.unsupported, e.items, e.skipped],
  );
});

test('classifyAnswer: the error-pattern category of one answer', () => {
  const ok = '<reasoning>\n3 + 4 = 7\n</reasoning>\n<answer>\n7\n</answer>';
  assert.equal(classifyAnswer(ok, 7), 'correct');
  assert.equal(classifyAnswer(ok, '#### 7'), 'correct');
  assert.equal(classifyAnswer(ok, 8), 'wrong-number');
  assert.equal(classifyAnswer('the answer is 7', 7), 'correct');
  assert.equal(classifyAnswer('<reasoning>r</reasoning><answer>seven</answer>', 7), 'no-number');
  assert.equal(classifyAnswer('I do not know', 7), 'wrong-format');
  assert.equal(classifyAnswer(' \n\t', 7), 'empty');
  assert.equal(classifyAnswer('7', 'no number'), 'wrong-number');
});
