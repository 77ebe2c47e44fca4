// SIGKILL at a random moment of a run logging through the SDK to a log file, a CSV file and a
// TensorBoard run: the files stay readable by their consumers and what is lost is bounded by the
// flush interval. A few trials here; test/reliability/sigkill.test.ts runs the same code 50 times.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSigkillTrial } from './support/sigkillTrial.js';

for (let trial = 0; trial < 3; trial++) {
  test(`SIGKILL trial ${trial}, calling thread: files readable, at most the last flush interval lost`, {
    timeout: 120_000,
  }, async (t) => {
    const r = await runSigkillTrial(t, {
      flushIntervalS: 0.2,
      killAfterMs: [100, 1500],
      extraYaml: 'telemetry_thread:\n  enabled: false\n',
    });
    assert.ok(r.produced > 0);
  });
}

// With a telemetry thread the files are written there, and what the ring holds at the kill (what the
// thread has not read yet) is lost too. In a loop whose steps take longer than their telemetry (any
// real training step; here 2 ms of idle work per step) the thread keeps up, and the same bound holds.
// With 1 ms the thread only just kept up with this trainer's calls on 2 shared cores: under load its
// backlog at the kill alone came near the bound (what the ring holds is lost too), so the trials no
// longer tested the premise the bound rests on.
// A loop with no work at all between steps outruns the sinks: the ring then holds up to
// telemetry_thread.ring_bytes of them. And until the thread has started (a few hundred ms after
// initialize(); it cannot start while the trainer blocks), what was logged is only in memory: the
// kill is timed from the first line the thread writes (docs/reliability.md).
for (let trial = 0; trial < 3; trial++) {
  test(`SIGKILL trial ${trial}, telemetry thread: files readable, at most the last flush interval lost`, {
    timeout: 120_000,
  }, async (t) => {
    const r = await runSigkillTrial(t, {
      flushIntervalS: 0.2,
      killAfterMs: [100, 1500],
      extraYaml: 'telemetry_thread:\n  enabled: true\n',
      stepMs: 2,
      armWhenWriting: true,
    });
    assert.ok(r.produced > 0);
  });
}
