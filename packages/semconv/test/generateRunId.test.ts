import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateRunId, RUN_ID_PATTERN } from '@grpo-otel/semconv';

test('formats the UTC start time and random bits', () => {
  const id = generateRunId({
    now: new Date(Date.UTC(2025, 2, 7, 4, 5, 6, 7)),
    getRandomValues: (bytes) => bytes.fill(0xab),
  });
  assert.equal(id, '20250307T040506.007Z-abababab');
  assert.match(id, RUN_ID_PATTERN);
});

test('ids are filesystem-safe, unique and sort by start time', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const id = generateRunId();
    assert.match(id, RUN_ID_PATTERN);
    assert.match(id, /^[A-Za-z0-9.-]+$/);
    ids.add(id);
  }
  assert.equal(ids.size, 1000);

  const times = [
    Date.UTC(1999, 11, 31, 23, 59, 59, 999),
    Date.UTC(2000, 0, 1),
    Date.UTC(2025, 9, 10, 8, 0, 0, 1),
  ];
  const sorted = times.map((t) => generateRunId({ now: new Date(t) }));
  assert.deepEqual([...sorted].sort(), sorted);
});
