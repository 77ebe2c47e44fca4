// TensorBoard points sit at the trainer's exact step whatever the timing: a trainer that never yields
// between steps (so no OpenTelemetry collection and no analysis result can run until it is done), and
// one whose analyses take far longer than its steps (results arrive many steps late). Every scalar tag
// has exactly one point per logged step with exactly the value logged for it (expected values computed
// here, not by the SDK), read back by the real TensorBoard: its Rust data server over HTTP (which drops
// the later points of a series when an earlier step follows them) and its Python EventAccumulator.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  type GrpoTelemetry,
  initialize,
  logReward,
  logRewardMetrics,
  logStepTiming,
  logTrainingProgress,
  shutdown,
} from '@grpo-otel/sdk';
import { pythonBinary } from '@grpo-otel/testkit/python';
import {
  f32,
  type RunningTensorBoard,
  readWithEventAccumulator,
  startTensorBoard,
} from '@grpo-otel/testkit/tensorboard';

const dir = mkdtempSync(join(tmpdir(), 'grpo-tb-steps-'));
after(() => {
  if (!process.env.GRPO_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

function start(name: string): GrpoTelemetry {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(
    f,
    `version: 1
root: { level: ERROR, handlers: [tb] }
handlers:
  tb: { class: tensorboard, log_dir: ${join(dir, name)} }
metrics:
  logging_frequency: 1
  full_metrics_frequency: 1
  sampling_ratio: 1
  max_pending_analyses: 1000
# The test reads the analysis worker's pending jobs on the instance: it runs on this thread.
telemetry_thread: { enabled: false }
`,
  );
  const t = initialize({ configPath: f, handleExit: false, registerGlobal: false });
  assert.ok(t);
  return t;
}

function runDir(name: string): string {
  const base = join(dir, name);
  const [run] = readdirSync(base);
  assert.ok(run, `no run under ${base}`);
  return join(base, run);
}

// Distinct per step, and exact in binary (multiples of 1/8 over batches of 8), so a mean computed by
// the worker and the one computed here agree to the last bit.
const loss = (s: number) => 2 - s / 256;
const custom = (s: number) => s * 0.75 - 40;
const seconds = (s: number) => 1 + (s % 7) / 8;
const rewards = (s: number, fn: string, n = 8): number[] =>
  Array.from({ length: n }, (_, i) => (fn === 'correct' ? ((s * 3 + i) % 5) / 4 : ((s + i * i) % 9) / 8));
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const max = (xs: readonly number[]) => xs.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
const min = (xs: readonly number[]) => xs.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);

const TIGHT = 'tight';
const TIGHT_STEPS = 200;
const SLOW = 'slow';
const SLOW_STEPS = 6;
/** Values per reward function in a slow-analysis batch: tens of milliseconds of worker time and more. */
const SLOW_BATCH = 400_000;

type Series = [number, number][];

/** What TensorBoard must show for a run of `steps` steps: per tag, [step, float32 value] for every step. */
function expected(steps: number, batch: number): Record<string, Series> {
  const all = (f: (s: number) => number): Series =>
    Array.from({ length: steps }, (_, i) => [i + 1, f32(f(i + 1))]);
  return {
    'grpo.policy.loss': all(loss),
    'grpo.custom.my_metric': all(custom),
    'grpo.training.current_step': all((s) => s),
    'grpo.reward.mean/correct': all((s) => mean(rewards(s, 'correct', batch))),
    'grpo.reward.mean/format': all((s) => mean(rewards(s, 'format', batch))),
    'grpo.reward.max/format': all((s) => max(rewards(s, 'format', batch))),
    'grpo.throughput.samples': all((s) => batch / seconds(s)),
    'grpo.training.samples': all(() => batch),
  };
}

let tightDrops = -1;
let slowDrops = -1;
let lateResults = 0;

before(async () => {
  pythonBinary();
  // 1) No yield between steps: every OTel collection and every analysis result comes after the loop.
  let t = start(TIGHT);
  for (let step = 1; step <= TIGHT_STEPS; step++) {
    const correct = rewards(step, 'correct');
    const format = rewards(step, 'format');
    logReward('format', format, undefined, { step });
    assert.equal(logRewardMetrics(step, { correct, format }), true);
    logStepTiming(step, { seconds: seconds(step), samples: 8 });
    logTrainingProgress(step, { loss: loss(step), my_metric: custom(step) });
  }
  assert.equal(
    t.analyses.running?.pendingJobs,
    TIGHT_STEPS,
    'no analysis result could arrive inside the loop',
  );
  await shutdown();
  tightDrops = t.drops.total();

  // 2) Slow analyses: the trainer yields between steps, but each step's analysis takes far longer
  // than the step, so results arrive after later steps were recorded and ended.
  t = start(SLOW);
  for (let step = 1; step <= SLOW_STEPS; step++) {
    const correct = rewards(step, 'correct', SLOW_BATCH);
    const format = rewards(step, 'format', SLOW_BATCH);
    logReward('format', format, undefined, { step });
    assert.equal(logRewardMetrics(step, { correct, format }), true);
    logStepTiming(step, { seconds: seconds(step), samples: SLOW_BATCH });
    logTrainingProgress(step, { loss: loss(step), my_metric: custom(step) });
    await yieldToEventLoop();
    lateResults += t.analyses.running?.pendingJobs ?? 0;
  }
  // The trainer waits for its analyses before shutting down (shutdown alone waits 5 s, then counts
  // what is unanswered as dropped), so how fast this machine computes cannot change the outcome.
  await t.analyses.running?.drain(120_000);
  await shutdown();
  slowDrops = t.drops.total();
});

test('nothing was dropped, and the slow run really had results arriving steps late', () => {
  assert.equal(tightDrops, 0);
  assert.equal(slowDrops, 0);
  assert.ok(lateResults > 0, 'some analysis was still running when the trainer had moved on');
});

test("TensorBoard's EventAccumulator: one point per step with the step's own value", () => {
  for (const [name, steps, batch] of [
    [TIGHT, TIGHT_STEPS, 8],
    [SLOW, SLOW_STEPS, SLOW_BATCH],
  ] as const) {
    const acc = readWithEventAccumulator(runDir(name));
    for (const [tag, series] of Object.entries(expected(steps, batch))) {
      assert.deepEqual(acc.scalars[tag], series, `${name} ${tag}`);
    }
    // Reward distributions: one histogram per step, holding that step's batch.
    for (const fn of ['correct', 'format']) {
      const h = acc.histograms[`grpo.reward.value/${fn}`];
      assert.deepEqual(
        h?.map(([step, v]) => [step, v.num, v.min, v.max]),
        Array.from({ length: steps }, (_, i) => {
          const r = rewards(i + 1, fn, batch);
          return [i + 1, batch, min(r), max(r)];
        }),
        `${name} grpo.reward.value/${fn}`,
      );
    }
    // The analysis' moving average: one point per step, at its step (its value is the worker's).
    assert.deepEqual(
      acc.scalars['grpo.reward.moving_average/correct']?.map(([step]) => step),
      Array.from({ length: steps }, (_, i) => i + 1),
    );
  }
});

describe('real TensorBoard, --load_fast=true (drops later points of a series when an earlier step follows)', () => {
  let tb: RunningTensorBoard;
  before(async () => {
    tb = await startTensorBoard({ logDir: dir, loadFast: true });
    for (const name of [TIGHT, SLOW]) {
      const run = `${name}/${readdirSync(join(dir, name))[0]}`;
      await tb.waitForRun(run, { plugin: 'scalars', tag: 'grpo.policy.loss' });
    }
  });
  after(async () => {
    await tb?.stop();
  });

  test('every scalar tag: exactly one point per logged step, with the expected value', async () => {
    for (const [name, steps, batch] of [
      [TIGHT, TIGHT_STEPS, 8],
      [SLOW, SLOW_STEPS, SLOW_BATCH],
    ] as const) {
      const run = `${name}/${readdirSync(join(dir, name))[0]}`;
      for (const [tag, series] of Object.entries(expected(steps, batch))) {
        const got = await tb.getWhen<[number, number, number][]>(
          `/data/plugin/scalars/scalars?run=${encodeURIComponent(run)}&tag=${encodeURIComponent(tag)}`,
          (g) => g.length >= series.length,
        );
        assert.deepEqual(
          got.map(([, step, value]) => [step, value]),
          series,
          `${name} ${tag}`,
        );
      }
    }
  });
});
