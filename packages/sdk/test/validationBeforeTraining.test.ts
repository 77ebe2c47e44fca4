// Validation at step 0, before any training accuracy exists (the usual zero-shot baseline), has an
// accuracy but no generalization gap: nothing is counted as a dropped invalid value (which would raise
// the telemetry-drop alert on every run), and the gap appears once training accuracy is known.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { initialize, logGenerationMetrics, parseConfig, runValidation } from '@grpo-otel/sdk';

const answer = (n: number) => `<reasoning>\nadding\n</reasoning>\n<answer>\n${n}\n</answer>`;

test('validation before training records no gap and counts no drop', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'grpo-val0-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dataset = join(dir, 'validation.jsonl');
  // Answers 3 and 5; the model below gets the first right and the second wrong.
  writeFileSync(
    dataset,
    '{"question":"What is 1+2?","answer":"3"}\n{"question":"What is 2+3?","answer":"5"}\n',
  );
  const yaml = `metrics:\n  logging_frequency: 1\n  full_metrics_frequency: 1\n  validation: { dataset_path: ${dataset} }\nhandlers:\n  none: { class: logging.NullHandler }\nroot: { level: INFO, handlers: [none] }\n`;
  const telemetry = initialize({
    config: parseConfig(yaml, { source: 'v.yaml', baseDir: dir, env: {} }),
    env: {},
    handleExit: false,
    registerGlobal: false,
  });
  assert.ok(telemetry);
  t.after(() => telemetry.shutdown());
  const model = async (prompt: string) => answer(prompt.includes('1+2') ? 3 : 4);

  const before = await runValidation(0, model);
  assert.ok(before);
  assert.equal(before.accuracy, 0.5);
  assert.ok(Number.isNaN(before.generalizationGap), 'no training accuracy yet: the gap is undefined');
  assert.equal(telemetry.drops.total({ reason: 'invalid_value' }), 0);

  // One training batch with references: 3 of 4 answers right.
  logGenerationMetrics(1, [answer(3), answer(3), answer(3), answer(9)], ['3', '3', '3', '3']);
  // The batch is analysed on the worker thread: wait for its accuracy to arrive.
  for (let i = 0; i < 200 && !Number.isFinite(telemetry.training.recentTrainingAccuracy); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(telemetry.training.recentTrainingAccuracy, 0.75);
  const after = await runValidation(1, model);
  assert.ok(after);
  assert.equal(after.generalizationGap, 0.75 - 0.5);
  assert.equal(telemetry.drops.total({ reason: 'invalid_value' }), 0);
});
