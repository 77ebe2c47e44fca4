import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatasetError, loadValidationDataset, parseValidationDataset } from '@grpo-otel/sdk';

test('JSON array, {"samples": [...]} and JSON Lines', () => {
  const a = parseValidationDataset('[{"question":"1+1?","answer":2,"steps":[1]}]', 'a.json');
  assert.deepEqual(a, [{ id: '0', question: '1+1?', answer: '2', steps: ['1'] }]);
  const b = parseValidationDataset('{"samples":[{"id":"x","question":"q","answer":"3"}]}', 'b.json');
  assert.equal(b[0]!.id, 'x');
  const c = parseValidationDataset(
    '{"question":"q1","answer":"1"}\n\n{"question":"q2","answer":"2"}\n',
    'c.jsonl',
  );
  assert.deepEqual(
    c.map((s) => s.question),
    ['q1', 'q2'],
  );
});

test('bad files give one clear error naming the file and line', async () => {
  const bad: [string, RegExp][] = [
    ['', /^d\.jsonl: the dataset is empty$/],
    ['{"question":"q","answer":"1"}\n{oops\n', /^d\.jsonl:2: invalid JSON line: /],
    ['{"question":"q"}\n', /^d\.jsonl:1: item 0: "answer" must be a string or a number$/],
    ['[1]', /^d\.jsonl: item 0: expected an object with "question" and "answer"$/],
    ['[{"question":"","answer":1}]', /^d\.jsonl: item 0: "question" must be a non-empty string$/],
  ];
  for (const [text, re] of bad) {
    assert.throws(
      () => parseValidationDataset(text, 'd.jsonl'),
      (e: unknown) => e instanceof DatasetError && re.test(e.message),
      text,
    );
  }
  await assert.rejects(loadValidationDataset('/nonexistent/v.jsonl'), /v\.jsonl: file not found$/);
});
