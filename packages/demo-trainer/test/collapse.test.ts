// Collapse detection is on with the shipped defaults: a real GRPO run driven to collapse (a learning
// rate 25x the default, no KL penalty, no clipping) raises a collapse signal within its first
// analyses. That the learning demo raises none is checked on the default run (test/demoEvidence).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runDemo } from '@grpo-otel/demo-trainer';

test('a run driven to collapse raises a collapse signal with the default thresholds', {
  timeout: 10 * 60_000,
}, async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'grpo-collapse-'));
  try {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    const s = await runDemo({
      outDir,
      env,
      trainer: {
        steps: 60,
        warmupSteps: 40,
        learningRate: 0.05,
        learningRateWarmupSteps: 1,
        beta: 0,
        clipEpsilon: 100,
        maxGradNorm: 1000,
      },
    });
    const kinds = new Set(s.signals.map((x) => x.kind));
    assert.ok(
      kinds.has('diversity_collapse') || kinds.has('entropy_collapse'),
      `signals: ${JSON.stringify(s.signals)}`,
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
