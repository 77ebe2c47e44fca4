// SIGKILL at a random moment of a run logging through the SDK to a log file, a CSV file and a
// TensorBoard run: the files stay readable by their consumers and what is lost is bounded by the
// flush interval. A few trials here; test/reliability/sigkill.test.ts runs the same code 50 times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSigkillTrial } from './support/sigkillTrial.js';

for (let trial = 0; trial < 3; trial++) {
  test(`SIGKILL trial ${trial}: files readable, at most the last flush interval lost`, {
    timeout: 120_000,
  }, async (t) => {
    const r = await runSigkillTrial(t, { flushIntervalS: 0.2, killAfterMs: [100, 1500] });
    assert.ok(r.produced > 0);
  });
}
