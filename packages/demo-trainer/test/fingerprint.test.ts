// The demo's numbers for a fixed seed: a refactor must leave them as they are. The fixture was
// written by scripts/fingerprint.ts --write; a change that means to change the demo rewrites it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { demoFingerprint } from './support/demoFingerprint.js';

test('a short demo run with the fixed seed writes the scalars and CSV rows of the fixture', async () => {
  const expected = readFileSync(new URL('./fixtures/fingerprint.txt', import.meta.url), 'utf8');
  const actual = await demoFingerprint();
  const want = expected.split('\n');
  const got = actual.split('\n');
  const missing = want.filter((l) => !got.includes(l));
  const extra = got.filter((l) => !want.includes(l));
  assert.deepEqual(
    { missing: missing.slice(0, 20), extra: extra.slice(0, 20) },
    { missing: [], extra: [] },
    `the demo's fingerprint changed: ${missing.length} lines missing, ${extra.length} new (first 20 shown)`,
  );
  assert.equal(actual, expected);
});
