// Validation at step 0, before any training accuracy exists (the usual zero-shot baseline), has an
// accuracy but no generalization gap: nothing is counted as a dropped invalid value (which would raise
// the telemetry-drop alert on every run), and the gap appears once training accuracy is known.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  forceFlush,
  getDrops,
  initialize,
  logGenerationMetrics,
  parseConfig,
  runValidation,
  shutdown,
} from '@grpo-otel/sdk';

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
  initialize({
    config: parseConfig(yaml, { source: 'v.yaml', baseDir: dir, env: {} }),
    env: {},
    handleExit: false,
    registerGlobal: false,
  });
  t.after(() => shutdown());
  const invalid = async () =>
    (await getDrops()).filter((d) => d.reason === 'invalid_value').reduce((n, d) => n + d.count, 0);
  const model = async (prompt: string) => answer(prompt.includes('1+2') ? 3 : 4);

  const before = await runValidation(0, model);
  assert.ok(before);
  assert.equal(before.accuracy, 0.5);
  assert.ok(Number.isNaN(before.generalizationGap), 'no training accuracy yet: the gap is undefined');
  assert.equal(await invalid(), 0);

  // One training batch with references: 3 of 4 answers right.
  logGenerationMetrics(1, [answer(3), answer(3), answer(3), answer(9)], ['3', '3', '3', '3']);
  // The batch is analysed on the analysis worker: a flush waits for its answer.
  await forceFlush();
  const after = await runValidation(1, model);
  assert.ok(after);
  assert.equal(after.generalizationGap, 0.75 - 0.5);
  assert.equal(await invalid(), 0);
});
