// The `metrics` settings do what the schema says: sampling_ratio, validation.max_samples and
// timeout_per_sample (for a synchronous generate too), and the enable flags, which every call
// honours. Also: validation without a dataset says so; a dataset set in code ends with shutdown().
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import {
  getTelemetry,
  initialize,
  logGenerationMetrics,
  logMemoryUsage,
  logReward,
  logRewardMetrics,
  logStepTiming,
  parseConfig,
  runValidation,
  setValidationDataset,
  shutdown,
} from '@grpo-otel/sdk';
import { StepRecorder } from './helpers/StepRecorder.js';

const dir = mkdtempSync(join(tmpdir(), 'grpo-metrics-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => shutdown());

let runs = 0;
/** Starts the SDK with `metrics` (a YAML flow map) and a log file; returns the recorder and the file. */
function start(metrics: string): { recorder: StepRecorder; log: string } {
  const log = join(dir, `run${runs++}.log`);
  const recorder = new StepRecorder();
  initialize({
    config: parseConfig(
      `version: 1
root: { level: INFO, handlers: [file] }
handlers:
  file: { class: logging.FileHandler, filename: ${log}, formatter: plain }
formatters:
  plain: { format: "%(name)s %(levelname)s %(message)s" }
metrics: ${metrics}
`,
      { source: 'settings.yaml', baseDir: dir, env: {} },
    ),
    env: {},
    handleExit: false,
    registerGlobal: false,
    stepExporters: [{ name: 'recorder', exporter: recorder }],
  });
  return { recorder, log };
}

/** The log file's text ('' when nothing was logged, so the file was never created). */
const logged = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

const questions = Array.from({ length: 10 }, (_, i) => ({ question: `${i}+1?`, answer: String(i + 1) }));

test('sampling_ratio 0.25: entropy from every 4th completion (0, 4, 8, 12 of 16); 1: from all', async () => {
  // Completion i reports one token of entropy 1 + i/10: the mean says which completions were used.
  const generations = Array.from({ length: 16 }, (_, i) => ({
    text: `c${i}`,
    tokens: [i],
    entropies: [1 + i / 10],
  }));
  for (const [ratio, used] of [
    [0.25, [0, 4, 8, 12]],
    [1, Array.from({ length: 16 }, (_, i) => i)],
  ] as const) {
    const { recorder } = start(
      `{ logging_frequency: 1, full_metrics_frequency: 1, sampling_ratio: ${ratio} }`,
    );
    assert.equal(logGenerationMetrics(1, generations), true);
    await getTelemetry()!.forceFlush();
    const want = used.reduce((a, i) => a + 1 + i / 10, 0) / used.length;
    const got = recorder.points(1, 'grpo.policy.entropy')[0]?.value as number;
    assert.ok(Math.abs(got - want) < 1e-12, `ratio ${ratio}: ${got} vs ${want}`);
    await shutdown();
  }
});

test('validation.max_samples caps the samples a pass scores', async () => {
  start('{ validation: { max_samples: 3 } }');
  setValidationDataset(questions);
  const r = await runValidation(1, (q) => `<answer>${Number(q.split('+')[0]) + 1}</answer>`);
  assert.equal(r?.samples, 3);
  assert.equal(r?.correct, 3);
});

test('timeout_per_sample cuts a synchronous generate that took too long: its answer is a timeout', async () => {
  start('{ validation: { timeout_per_sample: 0.05 } }');
  setValidationDataset(questions.slice(0, 3));
  const r = await runValidation(1, (q) => {
    if (q.startsWith('1+')) {
      const until = performance.now() + 120;
      while (performance.now() < until) {
        // A model that blocks the thread past the 50 ms limit.
      }
    }
    return `<answer>${Number(q.split('+')[0]) + 1}</answer>`;
  });
  assert.deepEqual(r?.errors, { timeout: 1 });
  assert.equal(r?.correct, 2);
  assert.equal(r?.results[1]?.errorType, 'timeout');
});

test('runValidation without a dataset warns and validates nothing', async () => {
  const { log } = start('{}');
  assert.equal(await runValidation(5, () => 'x'), undefined);
  await shutdown();
  const text = readFileSync(log, 'utf8');
  assert.match(text, /metrics WARNING runValidation\(step 5\): no validation samples/);
  assert.doesNotMatch(text, /n\/a/);
});

test('a dataset set in code ends with shutdown(): the next initialize() has none', async () => {
  start('{}');
  setValidationDataset(questions.slice(0, 2));
  assert.equal((await runValidation(1, () => 'x'))?.samples, 2);
  await shutdown();
  start('{}');
  assert.equal(await runValidation(1, () => 'x'), undefined);
});

test('enable.reward_metrics false: logRewardMetrics and logReward record nothing', async () => {
  const { recorder, log } = start('{ logging_frequency: 1, enable: { reward_metrics: false } }');
  assert.equal(logRewardMetrics(1, { correct: [1, 0] }), false);
  logReward('correct', [1, 0], ['a', 'b']);
  await shutdown();
  assert.deepEqual(
    recorder.exports
      .flatMap((e) => e.metrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)))
      .filter((n) => n.startsWith('grpo.reward')),
    [],
  );
  assert.doesNotMatch(logged(log), /^rewards /m);
});

test('enable.resource_metrics false: logMemoryUsage only returns the reading, logStepTiming records nothing', async () => {
  const { recorder, log } = start('{ enable: { resource_metrics: false } }');
  const snap = logMemoryUsage();
  assert.ok(snap && snap.rss > 0);
  logStepTiming(1, { seconds: 1, samples: 8 });
  await shutdown();
  const names = recorder.exports.flatMap((e) =>
    e.metrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)),
  );
  for (const n of [
    'grpo.step.duration',
    'grpo.throughput.samples',
    'process.memory.usage',
    'grpo.memory.peak_usage',
  ])
    assert.ok(!names.includes(n), n);
  assert.doesNotMatch(logged(log), /^system /m);
});

test('enabled (the defaults): the same calls do record', async () => {
  const { recorder, log } = start('{ logging_frequency: 1 }');
  logReward('correct', [1, 0], ['a', 'b']);
  logMemoryUsage();
  logStepTiming(1, { seconds: 1, samples: 8 });
  await shutdown();
  const names = recorder.exports.flatMap((e) =>
    e.metrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)),
  );
  for (const n of ['grpo.reward.mean', 'grpo.step.duration', 'process.memory.usage'])
    assert.ok(names.includes(n), n);
  const text = readFileSync(log, 'utf8');
  assert.match(text, /^rewards INFO/m);
  assert.match(text, /^system INFO memory:/m);
});
