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
  std_ddof1: number | string;
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
  test(`summarize matches Python's statistics module (pstdev and stdev): ${c.name}`, () => {
    const values = c.values.map((v) => (typeof v === 'string' ? Number(v.replace('inf', 'Infinity')) : v));
    const s = summarize(values);
    assert.equal(s.count, c.count);
    assert.equal(s.skipped, c.skipped);
    for (const k of ['mean', 'std', 'min', 'max', 'median'] as const) close(s[k], c[k], k);
    const s1 = summarize(values, { ddof: 1 });
    if (typeof c.std_ddof1 === 'string')
      assert.ok(Number.isNaN(s1.std), 'stdev of fewer than 2 values is NaN');
    else close(s1.std, c.std_ddof1, 'std (ddof 1)');
  });
}

test('empty input: count 0 and NaN statistics', () => {
  const s = summarize([]);
  assert.equal(s.count, 0);
  assert.ok(Number.isNaN(s.mean) && Number.isNaN(s.std) && Number.isNaN(s.median));
});
