import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { summarize } from '@grpo-otel/metrics';

interface Case {
  name: string;
  values: (number | string)[];
  count: number;
  skipped: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  median: number;
}
const cases = JSON.parse(
  readFileSync(new URL('./fixtures/summarize.json', import.meta.url), 'utf8'),
) as Case[];

function close(actual: number, expected: number, what: string) {
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

for (const c of cases) {
  test(`summarize matches Python's statistics module: ${c.name}`, () => {
    const values = c.values.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v));
    const s = summarize(values);
    assert.equal(s.count, c.count);
    assert.equal(s.skipped, c.skipped);
    for (const k of ['mean', 'std', 'min', 'max', 'median'] as const) close(s[k], c[k], k);
  });
}

test('empty input: count 0 and NaN statistics', () => {
  const s = summarize([]);
  assert.equal(s.count, 0);
  assert.ok(Number.isNaN(s.mean) && Number.isNaN(s.std) && Number.isNaN(s.median));
});
