// logRewardMetrics / logGenerationMetrics through the real analysis worker thread, recorded on the
// semconv instruments and read back through a step-keyed exporter at the step they were logged for.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import {
  getTelemetry,
  initialize,
  logGenerationMetrics,
  logRewardMetrics,
  logTrainingProgress,
  onPlateau,
  parseConfig,
  type SignalNotice,
  shutdown,
} from '@grpo-otel/sdk';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { StepRecorder } from './helpers/StepRecorder.js';

const CONFIG = `version: 1
root: { level: WARNING, handlers: [] }
metrics:
  logging_frequency: 1
  full_metrics_frequency: 1
  sampling_ratio: 1
  plateau: { window: 5, min_delta: 0.01 }
  collapse: { entropy_threshold: 0.1, window: 5 }
`;

let recorder: StepRecorder;
function start() {
  recorder = new StepRecorder();
  initialize({
    config: parseConfig(CONFIG, { source: 'analysis.yaml', baseDir: '/', env: {} }),
    env: {},
    handleExit: false,
    registerGlobal: false,
    stepExporters: [{ name: 'recorder', exporter: recorder }],
  });
}
afterEach(() => shutdown());

test('reward metrics: per-function and total statistics, histogram, group stats, at the logged step', async () => {
  start();
  assert.equal(
    logRewardMetrics(3, { correct: [1, 0, 1, 1], format: [0.5, 0.5, 0, 0.5] }, { groupSize: 2 }),
    true,
  );
  logTrainingProgress(3, {});
  await getTelemetry()!.forceFlush();
  const fn = (f: string) => ({ 'grpo.reward.function': f });
  assert.equal(recorder.points(3, 'grpo.reward.mean', fn('correct'))[0]?.value, 0.75);
  assert.equal(recorder.points(3, 'grpo.reward.max', fn('format'))[0]?.value, 0.5);
  assert.equal(recorder.points(3, 'grpo.reward.mean', fn('total'))[0]?.value, 1.125);
  // Groups [1,0] and [1,1]: one of two has zero std.
  assert.equal(recorder.points(3, 'grpo.reward.zero_std_ratio', fn('correct'))[0]?.value, 0.5);
  const h = recorder.points(3, 'grpo.reward.value', fn('correct'))[0]?.value as Histogram | undefined;
  assert.equal(h?.count, 4);
  assert.equal(h?.sum, 3);
  const corr = recorder.points(3, 'grpo.reward.correlation', { 'grpo.correlation.method': 'pearson' });
  assert.equal(corr.length, 1);
  assert.ok(corr[0]!.value === null || typeof corr[0]!.value === 'number');
});

test('plateau: constant rewards fire the callback once, and the signal gauge is 1', async () => {
  start();
  const fired: SignalNotice[] = [];
  onPlateau((s) => fired.push(s));
  // No yield between steps: each step's values still land at that step.
  for (let step = 1; step <= 20; step++) {
    logRewardMetrics(step, { correct: [0.5, 0.5, 0.5, 0.5] });
    logTrainingProgress(step, {});
  }
  await getTelemetry()!.forceFlush();
  assert.equal(fired.length, 1, JSON.stringify(fired));
  assert.equal(fired[0]!.subject, 'correct');
  assert.ok(fired[0]!.step >= 6, `fired at ${fired[0]!.step}`);
  const active = recorder.points(20, 'grpo.signal.active', { 'grpo.signal.kind': 'reward_plateau' });
  assert.equal(active[0]?.value, 1);
  // Every step has its own moving-average point, at its own step.
  for (let step = 1; step <= 20; step++) {
    assert.equal(recorder.points(step, 'grpo.reward.moving_average').length, 1, `step ${step}`);
  }
});

test('generation metrics: lengths, format, KL from logprobs, entropy, accuracy from references', async () => {
  start();
  const gen = (text: string, lp: number[], ref: number[]) => ({
    text,
    tokens: lp.map((_, i) => i + 1),
    logprobs: lp,
    refLogprobs: ref,
  });
  const ok = logGenerationMetrics(
    4,
    [
      gen('<reasoning>\n2+2=4\n</reasoning>\n<answer>\n4\n</answer>', [-0.1, -0.2, -0.3], [-0.1, -0.2, -0.3]),
      gen('the answer is 5', [-1, -1], [-0.5, -0.5]),
    ],
    ['4', { answer: 4 }],
    { groupSize: 2 },
  );
  assert.equal(ok, true);
  await getTelemetry()!.forceFlush();
  assert.equal(recorder.points(4, 'grpo.completion.mean_length')[0]?.value, 2.5);
  assert.equal(
    recorder.points(4, 'grpo.completion.format_adherence', { 'grpo.format.mode': 'strict' })[0]?.value,
    0.5,
  );
  assert.equal(recorder.points(4, 'grpo.task.accuracy')[0]?.value, 0.5);
  // k1 per token: (0 + 0 + 0 + (-1 - -0.5) * 2) / 5 tokens = -0.2.
  const k1 = recorder.points(4, 'grpo.policy.kl', { 'grpo.kl.estimator': 'k1' })[0]?.value as number;
  assert.ok(Math.abs(k1 - -0.2) < 1e-12, String(k1));
  const k3 = recorder.points(4, 'grpo.policy.kl', { 'grpo.kl.estimator': 'k3' })[0]?.value as number;
  assert.ok(k3 > 0);
  assert.ok((recorder.points(4, 'grpo.policy.entropy')[0]?.value as number) > 0);
  assert.equal(getTelemetry()!.training.recentTrainingAccuracy, 0.5);
});

/** Values counted as dropped by logGenerationMetrics so far. */
const generationDrops = (): number =>
  getTelemetry()!
    .drops.snapshot()
    .filter((d) => d.where === 'logGenerationMetrics')
    .reduce((n, d) => n + d.count, 0);

test('policy entropy from the per-token entropies a trainer reports: their mean over the tokens', async () => {
  start();
  const ok = logGenerationMetrics(
    5,
    [
      // 3 + 2 tokens (from the token ids alone, 5 distinct ones, the entropy would be log 5)
      { text: 'a', tokens: [1, 2, 3], entropies: [0.5, 1.0, 1.5] },
      { text: 'b', tokens: [4, 5], entropies: Float32Array.from([2.0, 0.0]) },
    ],
    undefined,
    { groupSize: 2 },
  );
  assert.equal(ok, true);
  await getTelemetry()!.forceFlush();
  // (0.5 + 1 + 1.5 + 2 + 0) / 5 tokens
  const h = recorder.points(5, 'grpo.policy.entropy')[0]?.value as number;
  assert.ok(Math.abs(h - 1) < 1e-12, String(h));
});

test('per-token entropies that are not numbers are refused and counted; a distribution wins over them', async () => {
  start();
  const ok = logGenerationMetrics(
    6,
    [
      // log(1/2) twice: the distribution's entropy is log 2 whatever the entropies say
      {
        text: 'a',
        tokens: [1],
        entropies: [9],
        distribution: { data: [Math.log(0.5), Math.log(0.5)], width: 2 },
      },
      {
        text: 'b',
        tokens: [2],
        entropies: [9],
        distribution: { data: [Math.log(0.5), Math.log(0.5)], width: 2 },
      },
    ],
    undefined,
  );
  assert.equal(ok, true);
  assert.equal(
    logGenerationMetrics(7, [{ text: 'c', tokens: [1], entropies: 'high' as unknown as number[] }]),
    true,
  );
  await getTelemetry()!.forceFlush();
  const h = recorder.points(6, 'grpo.policy.entropy')[0]?.value as number;
  assert.ok(Math.abs(h - Math.log(2)) < 1e-12, String(h));
  assert.equal(generationDrops(), 1);
});

test('per-token values the analyses cannot use are left out of them and counted as dropped', async () => {
  start();
  const ok = logGenerationMetrics(
    8,
    [
      // 2 unusable entropies (NaN, -1), 1 logprob (NaN), 1 reference logprob (-Infinity)
      {
        text: 'a',
        tokens: [1, 2, 3],
        entropies: [0.5, Number.NaN, -1],
        logprobs: [-0.1, Number.NaN, -0.3],
        refLogprobs: [-0.1, -0.2, Number.NEGATIVE_INFINITY],
      },
      { text: 'b', tokens: [4], entropies: [1.5], logprobs: [-0.4], refLogprobs: [-0.4] },
    ],
    undefined,
  );
  assert.equal(ok, true);
  await getTelemetry()!.forceFlush();
  // The usable entropies: 0.5 and 1.5.
  const h = recorder.points(8, 'grpo.policy.entropy')[0]?.value as number;
  assert.ok(Math.abs(h - 1) < 1e-12, String(h));
  // k1 over the tokens whose two logprobs are finite: -0.1 - -0.1 and -0.4 - -0.4.
  const k1 = recorder.points(8, 'grpo.policy.kl', { 'grpo.kl.estimator': 'k1' })[0]?.value as number;
  assert.equal(k1, 0);
  assert.equal(generationDrops(), 4);
});

test('distribution rows the entropy cannot use are counted as dropped, the padding of short ones is not', async () => {
  start();
  const half = [Math.log(0.5), Math.log(0.5)];
  const ok = logGenerationMetrics(
    9,
    [
      // 2 tokens, 2 rows: one usable, one with NaN
      { text: 'a', tokens: [1, 2], distribution: { data: [...half, Number.NaN, Math.log(0.5)], width: 2 } },
      // 3 tokens but rows for 1 and half of another: the half row is counted, the 2 rows of padding are not
      { text: 'b', tokens: [3, 4, 5], distribution: { data: [...half, Math.log(0.5)], width: 2 } },
      // a probability above 1 (log p > 0) and a row with no mass
      {
        text: 'c',
        tokens: [6, 7, 8],
        distribution: {
          data: [...half, 0.5, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
          width: 2,
        },
      },
    ],
    undefined,
  );
  assert.equal(ok, true);
  await getTelemetry()!.forceFlush();
  // The usable rows (one per completion) are all log 2.
  const h = recorder.points(9, 'grpo.policy.entropy')[0]?.value as number;
  assert.ok(Math.abs(h - Math.log(2)) < 1e-12, String(h));
  // The NaN row, the half row, the row above 1 and the row with no mass.
  assert.equal(generationDrops(), 4);
});

test('analysis jobs unanswered when the process exits are counted as dropped (process_exit)', () => {
  start();
  // Queued in this synchronous stretch: no answer can come before the exit hook runs.
  logRewardMetrics(10, { a: [1, 0, 1, 0] });
  getTelemetry()!.exitSync();
  const lost = getTelemetry()!
    .drops.snapshot()
    .filter((d) => d.where === 'analysis' && d.reason === 'process_exit');
  assert.deepEqual(
    lost.map((d) => [d.signal, d.count]),
    [['metrics', 1]],
  );
});

test('off-frequency steps and disabled categories cost nothing and return false', async () => {
  initialize({
    config: parseConfig('metrics: { logging_frequency: 10, enable: { generation_metrics: false } }', {
      source: 'f.yaml',
      baseDir: '/',
      env: {},
    }),
    env: {},
    handleExit: false,
    registerGlobal: false,
  });
  assert.equal(logRewardMetrics(7, { a: [1] }), false);
  assert.equal(logRewardMetrics(10, { a: [1] }), true);
  assert.equal(logGenerationMetrics(10, ['x']), false);
});

test('step timing, tensor memory and computation-to-performance ratios', async () => {
  start();
  const { logStepTiming, registerTensorMemory, logMemoryUsage } = await import('@grpo-otel/sdk');
  registerTensorMemory(() => ({ numBytes: 4096, numTensors: 7 }));
  logStepTiming(1, { seconds: 2, samples: 64, tokens: 1000, phases: { generate: 1.5, update: 0.5 } });
  logRewardMetrics(1, { correct: [0, 0, 0, 0] });
  logTrainingProgress(1, {});
  await getTelemetry()!.forceFlush();
  await new Promise((r) => setTimeout(r, 20));
  logRewardMetrics(2, { correct: [1, 1, 1, 1] });
  logTrainingProgress(2, {});
  await getTelemetry()!.forceFlush();
  assert.equal(recorder.points(1, 'grpo.throughput.samples')[0]?.value, 32);
  assert.equal(
    recorder.points(1, 'grpo.throughput.tokens', { 'gen_ai.token.type': 'output' })[0]?.value,
    500,
  );
  assert.equal(
    (recorder.points(1, 'grpo.phase.duration', { 'grpo.phase': 'generate' })[0]!.value as Histogram).sum,
    1.5,
  );
  assert.equal(recorder.points(1, 'grpo.tfjs.memory.usage')[0]?.value, 4096);
  assert.equal(recorder.points(1, 'grpo.tfjs.tensor.count')[0]?.value, 7);
  // Moving average 0 then 0.5: a gain of 0.5 over 1000 tokens.
  assert.equal(recorder.points(2, 'grpo.efficiency.token_cost')[0]?.value, 2000);
  assert.ok((recorder.points(2, 'grpo.efficiency.cpu_reward_gain')[0]?.value as number) > 0);
  const snap = logMemoryUsage()!;
  assert.deepEqual(snap.tensors, { numBytes: 4096, numTensors: 7, peakBytes: 4096 });
  assert.ok(snap.averageRss > 0 && snap.peakRss >= snap.rss);
});

test('negative rewards stay in the distribution (no OTel histogram instrument, which drops them)', async () => {
  start();
  logRewardMetrics(1, { penalty: [-1, -0.5, 0.5] });
  logTrainingProgress(1, {});
  await getTelemetry()!.forceFlush();
  const h = recorder.points(1, 'grpo.reward.value', { 'grpo.reward.function': 'penalty' })[0]?.value as
    | Histogram
    | undefined;
  assert.equal(h?.count, 3);
  assert.equal(h?.sum, -1);
  assert.equal(h?.min, -1);
});

test('logReward records the summary gauges, not the distribution (logRewardMetrics owns it)', async () => {
  start();
  const { logReward } = await import('@grpo-otel/sdk');
  logReward('format', [0, 1], undefined, { step: 1 });
  logTrainingProgress(1, {});
  await getTelemetry()!.forceFlush();
  assert.equal(recorder.points(1, 'grpo.reward.mean', { 'grpo.reward.function': 'format' })[0]?.value, 0.5);
  assert.equal(recorder.points(1, 'grpo.reward.value', { 'grpo.reward.function': 'format' }).length, 0);
});
