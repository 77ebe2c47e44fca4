import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type DemoProgress, runDemo } from '@grpo-otel/demo-trainer';
import { tempDir } from '@grpo-otel/testkit/tempDir';

/** The environment without OTLP settings, so runs write files only. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
const small = {
  steps: 12,
  warmupSteps: 5,
  hiddenSize: 32,
  embeddingSize: 16,
  promptsPerStep: 4,
  groupSize: 4,
};

test('a short run writes the seed layout under its folder, every step reported', async (t) => {
  const outDir = join(tempDir(t, 'grpo-rundemo-'), 'run');
  const events: DemoProgress[] = [];
  const s = await runDemo({ outDir, trainer: small, env, onProgress: (e) => events.push(e) });
  assert.equal(s.steps, 12);
  assert.equal(s.stoppedEarly, false);
  assert.equal(s.telemetry, true);
  assert.deepEqual(
    s.validation.history.map((v) => v.step),
    [0, 12],
  );
  for (const v of s.validation.history) assert.equal(v.telemetryAccuracy, v.accuracy);
  assert.equal(s.history.correctness.length, 12);
  assert.equal(s.correctness.window, 1);
  assert.deepEqual(JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')).runId, s.runId);
  assert.equal(events.filter((e) => e.kind === 'warmup').length, 5);
  assert.deepEqual(
    events.filter((e) => e.kind === 'step').map((e) => e.step),
    Array.from({ length: 12 }, (_, i) => i + 1),
  );

  const log = readFileSync(s.files.log, 'utf8');
  assert.equal(s.files.log, join(outDir, 'logs', 'training.log'));
  for (const name of [
    'correctness_reward',
    'xml_format_reward',
    'anti_repetition_reward',
    'topic_relevance_reward',
  ]) {
    assert.equal(log.match(new RegExp(` - rewards - INFO - reward ${name}: mean=`, 'g'))?.length, 12, name);
  }
  assert.equal(log.match(/ - whitelist - INFO - step \d+: /g)?.length, 12);
  assert.match(
    log,
    / - training - INFO - step 10: loss=.*grad_norm=.*learning_rate=.*clip_ratio\/region_mean=/,
  );
  assert.match(log, / - training - INFO - step 12: loss=/);
  assert.match(log, / - system - INFO - tfjs memory: \d+ tensors/);
  assert.match(log, / - metrics - INFO - validation at step 12: accuracy/);

  // One sampled completion per step in the CSV, stamped with its step (runValidation adds samples too).
  const rows = readFileSync(s.files.csv, 'utf8').trimEnd().split(/\r?\n/);
  assert.equal(rows[0], 'timestamp,step,question,true_answer,model_answer,model_reasoning,correct');
  const steps = new Set(rows.slice(1).map((r) => Number(r.split(',')[1])));
  for (let i = 1; i <= 12; i++) assert.ok(steps.has(i), `no CSV row for step ${i}`);

  const tb = join(s.files.tensorboard, s.runId);
  assert.ok(readdirSync(tb).some((f) => f.startsWith('events.out.tfevents.')));
  const validationSet = JSON.parse(readFileSync(s.files.validationSet, 'utf8'));
  assert.equal(validationSet.length, s.validation.end.total);

  // The config's trace sink: every step's span and its phases, as OTLP/JSON lines, parents linked.
  type Span = {
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    name: string;
    attributes: { key: string; value: { intValue?: string | number } }[];
  };
  const spans: Span[] = readFileSync(join(outDir, 'logs', 'traces.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l).resourceSpans[0].scopeSpans[0].spans[0]);
  const stepOf = (span: Span) => Number(span.attributes.find((a) => a.key === 'grpo.step')?.value.intValue);
  const stepSpans = spans.filter((x) => x.name === 'grpo.step');
  assert.deepEqual(
    stepSpans.map(stepOf).sort((a, b) => a - b),
    Array.from({ length: 12 }, (_, i) => i + 1),
  );
  for (const step of stepSpans) {
    const children = spans.filter((x) => x.parentSpanId === step.spanId);
    assert.ok(children.length > 0, `no phase under step ${stepOf(step)}`);
    for (const c of children) assert.equal(c.traceId, step.traceId);
  }
});

test("a config of the user's: its relative paths resolve against the run folder (baseDir), not the working directory", async (t) => {
  const dir = tempDir(t, 'grpo-rundemo-');
  const configDir = join(dir, 'configs');
  mkdirSync(configDir);
  const configPath = join(configDir, 'mine.yaml');
  writeFileSync(
    configPath,
    'version: 1\nroot: { level: INFO, handlers: [f] }\nhandlers:\n  f: { class: file, filename: logs/mine.log }\n',
  );
  const outDir = join(dir, 'run');
  const s = await runDemo({ outDir, configPath, trainer: { ...small, steps: 2 }, env });
  assert.equal(s.steps, 2);
  assert.match(readFileSync(join(outDir, 'logs', 'mine.log'), 'utf8'), /validation at step 2: accuracy/);
  assert.equal(existsSync(join(configDir, 'logs')), false);
  assert.equal(existsSync(join(process.cwd(), 'logs', 'mine.log')), false);
});

test('an abort stops after the current step and still validates and writes the summary', async (t) => {
  const outDir = join(tempDir(t, 'grpo-rundemo-'), 'run');
  const stop = new AbortController();
  const s = await runDemo({
    outDir,
    trainer: { ...small, steps: 50 },
    env,
    signal: stop.signal,
    onProgress: (e) => {
      if (e.kind === 'step' && e.step === 3) stop.abort();
    },
  });
  assert.equal(s.steps, 3);
  assert.equal(s.stoppedEarly, true);
  assert.equal(s.validation.end.step, 3);
  assert.match(readFileSync(s.files.log, 'utf8'), /WARNING - stopped early at step 3\/50/);
});

test('with OTEL_SDK_DISABLED the run trains the same and writes only its summary', async (t) => {
  const outDir = join(tempDir(t, 'grpo-rundemo-'), 'run');
  const s = await runDemo({
    outDir,
    trainer: { ...small, steps: 3 },
    env: { ...env, OTEL_SDK_DISABLED: 'true' },
  });
  assert.equal(s.telemetry, false);
  assert.equal(s.steps, 3);
  assert.equal(s.validation.start.telemetryAccuracy, undefined);
  // Step times are measured with telemetry off too (bench/overhead compares the two).
  assert.equal(s.history.stepSeconds.length, 3);
  assert.equal(s.history.stepCpuSeconds.length, 3);
  for (const v of [...s.history.stepSeconds, ...s.history.stepCpuSeconds]) assert.ok(v > 0, String(v));
  assert.ok(existsSync(join(outDir, 'summary.json')));
  assert.ok(!existsSync(join(outDir, 'logs')));
});
