// Config fuzz at full length: 20x the cases of packages/sdk/test/configFuzz.test.ts (8000 with
// GRPO_RELIABILITY=1), over two seeds. Every case either loads or throws a one-line ConfigError
// (`file:line:col: ...`); nothing else is thrown, nothing crashes the process, nothing hangs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runConfigFuzz } from '../../packages/sdk/test/runConfigFuzz.js';

const FULL = process.env.GRPO_RELIABILITY === '1';
const RUNS = FULL ? 4000 : 200;

for (const seed of [1, 20261126]) {
  test(`config fuzz, seed ${seed}: ${RUNS} cases, only one-line ConfigErrors`, () => {
    const s = runConfigFuzz(RUNS, seed, 900_000);
    assert.equal(s.cases, RUNS);
    assert.deepEqual(s.failures, [], `${s.failureCount} of ${s.cases} cases failed`);
    assert.equal(s.accepted + s.configError, s.cases);
    assert.ok(s.accepted > 0 && s.configError > 0, JSON.stringify(s));
  });
}
