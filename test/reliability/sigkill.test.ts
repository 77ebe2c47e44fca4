// The full SIGKILL run (GRPO_RELIABILITY=1): 50 trials of test/support/sigkillTrial.ts, each killing
// the SDK trainer at a random moment and reading its log file, CSV and TensorBoard run with their
// consumers. The summary (trials, steps lost per sink against the steps of the last flush interval)
// is printed at the end; docs/reliability.md reports it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { runSigkillTrial, type SigkillTrialResult } from '../support/sigkillTrial.js';

const TRIALS = process.env.GRPO_RELIABILITY === '1' ? 50 : 3;
const FLUSH_INTERVAL_S = 0.2;
const results: SigkillTrialResult[] = [];

for (let trial = 0; trial < TRIALS; trial++) {
  test(`SIGKILL trial ${trial + 1}/${TRIALS}`, { timeout: 120_000 }, async (t) => {
    // On the calling thread: a loop with no work between steps (the telemetry thread's trials, with
    // 1 ms steps, are in test/sdkSigkill.test.ts).
    results.push(
      await runSigkillTrial(t, {
        flushIntervalS: FLUSH_INTERVAL_S,
        killAfterMs: [50, 2000],
        extraYaml: 'telemetry_thread:\n  enabled: false\n',
      }),
    );
  });
}

after(() => {
  assert.equal(results.length, TRIALS, 'every trial ran');
  const sinks = ['log', 'csv', 'tbText', 'tbScalar'] as const;
  const summary: Record<string, unknown> = {
    trials: results.length,
    flushIntervalS: FLUSH_INTERVAL_S,
    stepsProduced: {
      min: Math.min(...results.map((r) => r.produced)),
      max: Math.max(...results.map((r) => r.produced)),
    },
    maxPauseMs: Math.max(...results.map((r) => r.lastPauseMs)),
    tornLast: {
      log: results.filter((r) => r.torn.log).length,
      csv: results.filter((r) => r.torn.csv).length,
      tb: results.filter((r) => r.torn.tb).length,
    },
  };
  for (const s of sinks) {
    summary[s] = {
      maxLost: Math.max(...results.map((r) => r.lost[s])),
      // lost / steps of the last flush interval (1 = exactly the last interval)
      maxRatio: Math.max(...results.map((r) => r.lost[s] / Math.max(1, r.producedInLastInterval))),
      overOneInterval: results.filter((r) => r.lost[s] > r.producedInLastInterval).length,
      overBound: results.filter((r) => r.lost[s] > r.bound).length,
    };
  }
  console.log(`sigkill summary: ${JSON.stringify(summary)}`);
});
